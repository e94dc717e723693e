import type { AvailableModel, CostEstimate, Tier } from '../../../../shared/contract';
import { TIER_LABEL } from '../../components/usd';

/** The label of the final answer's line in a graph's estimate (src/main/tasks/graph-estimate.ts adds it last). */
const SYNTHESIS_LABEL = 'Synthesis';
const TIER_ORDER: readonly Tier[] = ['local', 'free', 'paid'];

/**
 * The budget refuses the graph only because a paid model would write its final answer: every task
 * left runs on local/free models, so another writer is all it takes (the refusal points at the picker).
 */
export function refusalIsOnlyTheWriter(estimate: CostEstimate): boolean {
  if (!estimate.refusal) return false;
  // At the stop threshold only local models run (free cloud too is stopped).
  const paid = estimate.lines.filter((l) => l.tier !== 'local');
  const last = estimate.lines.at(-1);
  return paid.length === 1 && paid[0] === last && last?.label === SYNTHESIS_LABEL;
}

export interface WriterGroup {
  tier: Tier;
  label: string;
  ids: string[];
}

export interface WriterChoices {
  /** The graph's writer when it cannot answer now (no key, not installed), still shown as the current value. */
  unavailable: string | null;
  /** The models that can answer now, local first, then free cloud, then paid. */
  groups: WriterGroup[];
}

/** What "Final answer by" offers: the models that can answer now, by tier, cheapest first. */
export function writerChoices(models: readonly AvailableModel[], current: string, paidStopped: boolean): WriterChoices {
  const groups = TIER_ORDER.map((tier) => ({
    tier,
    label: tier !== 'local' && paidStopped ? `${TIER_LABEL[tier]}: stopped by the budget` : TIER_LABEL[tier],
    ids: models.filter((m) => m.tier === tier).map((m) => m.id).sort((a, b) => a.localeCompare(b)),
  })).filter((g) => g.ids.length > 0);
  return { unavailable: models.some((m) => m.id === current) ? null : current, groups };
}
