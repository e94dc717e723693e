import type { MetricsDashboard, Tier } from '../../shared/contract';
import { startOfDay, toLlmPerformance, type BudgetLedger, type DecisionRecord, type DecisionRecorder } from '../router';
import { budgetView } from '../router';
import type { Db } from '../store';
import { costOf, percentile, type ModelPrice } from '../runner';
import { CallRecorder, type PurposeSpend } from '../usage';

export interface MetricsServiceDeps {
  db: Db;
  decisions: DecisionRecorder;
  ledger: BudgetLedger;
  /** Catalog price of a model (with Settings' overrides), USD per 1M tokens. */
  priceOf: (modelId: string) => ModelPrice | null;
  /** The premium model savings are measured against (router config `referenceModel`). */
  referenceModel: () => string;
  /** Spend per purpose from the calls table; default: a CallRecorder on `db`. */
  calls?: { spendByPurpose(sinceMs: number): PurposeSpend[] };
  now?: () => number;
}

interface CallRow {
  model_id: string;
  tier: Tier;
  status: 'ok' | 'error' | 'cancelled';
  error_code: string | null;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  cost_usd: number;
  estimated: number;
  started_at: number;
  ended_at: number;
}

type Series = MetricsDashboard['series'][number];
type Failure = MetricsDashboard['failures'][number];

export const DEFAULT_DASHBOARD_DAYS = 14;
const ALL = 10_000_000;

/**
 * The dashboard's numbers, from the two logs every reply writes: `calls` (one row per model call:
 * tokens, cost, latency, errors) and `route_decisions` (one per routed request: tier, escalations,
 * gate results). Budgets come from the ledger, so they match what the router enforces.
 */
export class MetricsService {
  private readonly now: () => number;
  private readonly calls: NonNullable<MetricsServiceDeps['calls']>;

  constructor(private readonly d: MetricsServiceDeps) {
    this.now = d.now ?? Date.now;
    this.calls = d.calls ?? new CallRecorder(d.db);
  }

  dashboard(days = DEFAULT_DASHBOARD_DAYS): MetricsDashboard {
    const now = this.now();
    const series = emptySeries(now, days);
    const since = series[0]!.start;
    const byDay = new Map(series.map((s) => [s.day, s]));
    const calls = this.d.db
      .prepare(
        `SELECT model_id, tier, status, error_code, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, cost_usd, estimated, started_at, ended_at
         FROM calls WHERE started_at >= ? ORDER BY started_at, rowid`,
      )
      .all(since) as CallRow[];
    const decisions = this.d.decisions.list({ since, limit: ALL });

    const referenceModel = this.d.referenceModel();
    const price = this.d.priceOf(referenceModel);
    let actualUsd = 0;
    let referenceUsd = 0;
    for (const c of calls) {
      const day = byDay.get(dayKey(c.started_at));
      const reference = price ? costOf(usageOf(c), price, 'paid') : 0;
      actualUsd += c.cost_usd;
      referenceUsd += reference;
      if (day) {
        day.costUsd += c.cost_usd;
        if (day.referenceUsd !== null) day.referenceUsd = price ? day.referenceUsd + reference : null;
      }
    }
    if (!price) for (const s of series) s.referenceUsd = null;

    const requests = { total: decisions.length, answered: 0, failed: 0, refused: 0, cancelled: 0 };
    const tierCounts: Record<Tier, number> = { local: 0, free: 0, paid: 0 };
    const escalation = { requests: 0, escalated: 0, escalations: 0, rate: 0 };
    for (const r of decisions) {
      requests[r.outcome === 'ok' ? 'answered' : r.outcome] += 1;
      const day = byDay.get(dayKey(r.createdAt));
      if (r.outcome === 'ok' && r.tier) {
        tierCounts[r.tier] += 1;
        if (day) day.tiers[r.tier] += 1;
      }
      if (day) day.requests += 1;
      if (r.attempts.length === 0) continue;
      escalation.requests += 1;
      escalation.escalations += r.escalations;
      if (r.escalations > 0) {
        escalation.escalated += 1;
        if (day) day.escalated += 1;
      }
    }
    escalation.rate = escalation.requests ? escalation.escalated / escalation.requests : 0;
    const answered = tierCounts.local + tierCounts.free + tierCounts.paid;

    return {
      generatedAt: now,
      days,
      since,
      budget: budgetView(this.d.ledger, now),
      spend: { windowUsd: actualUsd, calls: calls.length, estimatedCalls: calls.filter((c) => c.estimated === 1).length },
      savings: {
        referenceModel,
        referencePrice: price ? { input: price.input, output: price.output } : null,
        actualUsd,
        referenceUsd: price ? referenceUsd : null,
        savedUsd: price ? referenceUsd - actualUsd : null,
        savedPct: price && referenceUsd > 0 ? (referenceUsd - actualUsd) / referenceUsd : null,
        calls: calls.length,
      },
      requests,
      tiers: (['local', 'free', 'paid'] as const).map((tier) => ({ tier, requests: tierCounts[tier], share: answered ? tierCounts[tier] / answered : 0 })),
      escalation,
      latency: latencyByModel(calls),
      byPurpose: this.calls.spendByPurpose(since),
      failures: failuresOf(calls, decisions),
      series,
    };
  }

  /** Seed 000's llm-performance.json entries for the requests of the last `days` days (all when omitted). */
  export(days?: number): { fileName: string; entries: ReturnType<typeof toLlmPerformance>[] } {
    const since = days === undefined ? 0 : emptySeries(this.now(), days)[0]!.start;
    return { fileName: 'llm-performance.json', entries: this.d.decisions.list({ since, limit: ALL }).map(toLlmPerformance) };
  }
}

function usageOf(c: CallRow) {
  return { inputTokens: c.input_tokens, outputTokens: c.output_tokens, cachedInputTokens: c.cached_input_tokens, cacheWriteTokens: c.cache_write_tokens, estimated: c.estimated === 1 };
}

function latencyByModel(calls: CallRow[]): MetricsDashboard['latency'] {
  const byModel = new Map<string, { tier: Tier; ms: number[] }>();
  for (const c of calls) {
    if (c.status !== 'ok') continue;
    const entry = byModel.get(c.model_id) ?? { tier: c.tier, ms: [] };
    entry.ms.push(Math.max(0, c.ended_at - c.started_at));
    byModel.set(c.model_id, entry);
  }
  return [...byModel]
    .map(([model, { tier, ms }]) => {
      const sorted = ms.sort((a, b) => a - b);
      return { model, tier, calls: sorted.length, p50Ms: percentile(sorted, 50)!, p95Ms: percentile(sorted, 95)!, p99Ms: percentile(sorted, 99)! };
    })
    .sort((a, b) => a.model.localeCompare(b.model));
}

function failuresOf(calls: CallRow[], decisions: DecisionRecord[]): Failure[] {
  const counts = new Map<string, Failure>();
  const add = (kind: Failure['kind'], type: string) => {
    const key = `${kind}:${type}`;
    const f = counts.get(key) ?? { kind, type, count: 0 };
    f.count += 1;
    counts.set(key, f);
  };
  for (const c of calls) if (c.status === 'error') add('error', c.error_code ?? 'unknown');
  for (const r of decisions) {
    if (r.outcome === 'refused') add('refused', 'no model could take it');
    for (const a of r.attempts) {
      const failed = a.error ? null : a.gates.find((g) => !g.passed);
      if (failed) add('gate', failed.gate);
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

/** Local date: budgets and charts follow the user's day. */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function emptySeries(now: number, days: number): Series[] {
  const today = new Date(startOfDay(now));
  return Array.from({ length: days }, (_, i) => {
    const start = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1 - i)).getTime();
    return { day: dayKey(start), start, costUsd: 0, referenceUsd: 0, requests: 0, escalated: 0, tiers: { local: 0, free: 0, paid: 0 } };
  });
}
