import type { CostEstimate } from '../../../shared/contract';
import { formatUsd } from './usd';

type Line = CostEstimate['lines'][number];

/** Local and free-tier cloud models cost nothing: a run with no paid line needs no money and no review. */
export function isFree(estimate: CostEstimate): boolean {
  return estimate.lines.every((l) => l.tier !== 'paid');
}

/** The one line shown next to Start / Run: "Estimated cost ~$0.012 (at most $0.090)", or that it is free. */
export function estimateSummary(estimate: CostEstimate): string {
  if (isFree(estimate)) return 'Free: runs on local/free models';
  return `Estimated cost ~${formatUsd(estimate.estimatedCostUsd)} (at most ${formatUsd(estimate.maxCostUsd)})`;
}

/**
 * The budget's own words when it matters for this run: past the warning or over budget, or at the
 * stop threshold for a run that stays on local/free models (a refusal already carries the message).
 */
export function budgetNote(estimate: CostEstimate): string | null {
  if (estimate.refusal || estimate.budget.level === 'ok') return null;
  if (estimate.budget.level === 'stopped' && isFree(estimate)) return `${estimate.budget.message} No paid call can start; this run needs none.`;
  return estimate.budget.message;
}

/**
 * What the refusal is about: the paid calls, grouped by model in the order the run makes them
 * ("Answer, Review on openrouter/…", "Synthesis on openrouter/…"), so a paid chairman or a paid
 * synthesis is named as the reason.
 */
export function refusedSteps(estimate: CostEstimate): string[] {
  if (!estimate.refusal) return [];
  const byModel = new Map<string, string[]>();
  for (const l of estimate.lines) {
    if (l.tier !== 'paid') continue;
    const labels = byModel.get(l.model) ?? [];
    if (!labels.includes(l.label)) labels.push(l.label);
    byModel.set(l.model, labels);
  }
  return [...byModel].map(([model, labels]) => `${labels.join(', ')} on ${model}`);
}

export interface BreakdownRow {
  label: string;
  model: string;
  tier: Line['tier'];
  estimate: string;
  max: string;
}

/** One row per call, in the order the run makes them, with the money formatted. */
export function breakdownRows(estimate: CostEstimate): BreakdownRow[] {
  return estimate.lines.map((l) => ({ label: l.label, model: l.model, tier: l.tier, estimate: formatUsd(l.estimatedCostUsd), max: formatUsd(l.maxCostUsd) }));
}

/** "7 calls": what the breakdown holds, for its toggle. */
export function callCount(estimate: CostEstimate): string {
  const n = estimate.lines.length;
  return `${n} call${n === 1 ? '' : 's'}`;
}
