import type { MetricsDashboard, Tier } from '../../shared/contract';
import { startOfDay, toLlmPerformance, type BudgetLedger, type DecisionRecorder } from '../router';
import { budgetView } from '../router';
import type { Db } from '../store';
import { costOf, percentile, type ModelPrice } from '../runner';
import { CallRecorder, bucketStart, purposeSpend, type CallGroup, type DecisionGroup } from '../usage';

export interface MetricsServiceDeps {
  db: Db;
  decisions: DecisionRecorder;
  ledger: BudgetLedger;
  /** Catalog price of a model (with Settings' overrides), USD per 1M tokens. */
  priceOf: (modelId: string) => ModelPrice | null;
  /** The premium model savings are measured against (router config `referenceModel`). */
  referenceModel: () => string;
  /** The call log's rollups and latency samples; default: a CallRecorder on `db`. */
  calls?: Pick<CallRecorder, 'rollups' | 'latencySample'>;
  now?: () => number;
}

type Series = MetricsDashboard['series'][number];
type Failure = MetricsDashboard['failures'][number];

export const DEFAULT_DASHBOARD_DAYS = 14;
const ALL = 10_000_000;

/**
 * The dashboard's numbers, from the rollups of the two logs every reply writes (migration 9): `calls`
 * (one row per model call: tokens, cost, latency, errors) and `route_decisions` (one per routed
 * request: tier, escalations, gate results). Budgets come from the ledger, so they match what the router enforces.
 */
export class MetricsService {
  private readonly now: () => number;
  private readonly calls: NonNullable<MetricsServiceDeps['calls']>;

  constructor(private readonly d: MetricsServiceDeps) {
    this.now = d.now ?? Date.now;
    this.calls = d.calls ?? new CallRecorder(d.db);
  }

  dashboard(days = DEFAULT_DASHBOARD_DAYS): MetricsDashboard {
    this.d.decisions.flush(); // records still queued off the response path count too
    const now = this.now();
    const series = emptySeries(now, days);
    const since = series[0]!.start;
    const byDay = new Map(series.map((s) => [s.day, s]));
    // Rolled up as calls and decisions are written (migration 9): the cost of this grows with the
    // window and the number of models, not with the number of calls (issue #17).
    const groups = this.calls.rollups.callGroups(since);
    const decisions = this.calls.rollups.decisionGroups(since);

    const referenceModel = this.d.referenceModel();
    const price = this.d.priceOf(referenceModel);
    let actualUsd = 0;
    let referenceUsd = 0;
    let callCount = 0;
    let estimatedCalls = 0;
    for (const g of groups) {
      const day = byDay.get(dayKey(bucketStart(g.bucket)));
      const reference = price ? costOf(usageOf(g), price, 'paid') : 0;
      actualUsd += g.costUsd;
      referenceUsd += reference;
      callCount += g.calls;
      estimatedCalls += g.estimatedCalls;
      if (day) {
        day.costUsd += g.costUsd;
        if (day.referenceUsd !== null) day.referenceUsd = price ? day.referenceUsd + reference : null;
      }
    }
    if (!price) for (const s of series) s.referenceUsd = null;

    const requests = { total: 0, answered: 0, failed: 0, refused: 0, cancelled: 0 };
    const tierCounts: Record<Tier, number> = { local: 0, free: 0, paid: 0 };
    const escalation = { requests: 0, escalated: 0, escalations: 0, rate: 0 };
    for (const r of decisions) {
      requests.total += r.requests;
      requests[r.outcome === 'ok' ? 'answered' : r.outcome] += r.requests;
      const day = byDay.get(dayKey(bucketStart(r.bucket)));
      if (r.outcome === 'ok' && r.tier) {
        tierCounts[r.tier] += r.requests;
        if (day) day.tiers[r.tier] += r.requests;
      }
      if (day) day.requests += r.requests;
      if (!r.attempted) continue;
      escalation.requests += r.requests;
      escalation.escalations += r.escalations;
      if (r.escalated) {
        escalation.escalated += r.requests;
        if (day) day.escalated += r.requests;
      }
    }
    escalation.rate = escalation.requests ? escalation.escalated / escalation.requests : 0;
    const answered = tierCounts.local + tierCounts.free + tierCounts.paid;

    return {
      generatedAt: now,
      days,
      since,
      budget: budgetView(this.d.ledger, now),
      spend: { windowUsd: actualUsd, calls: callCount, estimatedCalls },
      savings: {
        referenceModel,
        referencePrice: price ? { input: price.input, output: price.output } : null,
        actualUsd,
        referenceUsd: price ? referenceUsd : null,
        savedUsd: price ? referenceUsd - actualUsd : null,
        savedPct: price && referenceUsd > 0 ? (referenceUsd - actualUsd) / referenceUsd : null,
        calls: callCount,
      },
      requests,
      tiers: (['local', 'free', 'paid'] as const).map((tier) => ({ tier, requests: tierCounts[tier], share: answered ? tierCounts[tier] / answered : 0 })),
      escalation,
      latency: this.latency(since),
      byPurpose: purposeSpend(groups),
      failures: this.failures(since, groups, decisions),
      series,
    };
  }

  /** p50/p95/p99 of each model's newest successful calls in the window (CallRecorder.latencySample, by index). */
  private latency(since: number): MetricsDashboard['latency'] {
    return this.calls.rollups
      .models(since)
      .flatMap(({ modelId, tier }) => {
        const sorted = this.calls.latencySample(modelId, since).map((c) => Math.max(0, c.ms)).sort((a, b) => a - b);
        if (sorted.length === 0) return [];
        return [{ model: modelId, tier, calls: sorted.length, p50Ms: percentile(sorted, 50)!, p95Ms: percentile(sorted, 95)!, p99Ms: percentile(sorted, 99)! }];
      })
      .sort((a, b) => a.model.localeCompare(b.model));
  }

  private failures(since: number, groups: readonly CallGroup[], decisions: readonly DecisionGroup[]): Failure[] {
    const counts = new Map<string, Failure>();
    const add = (kind: Failure['kind'], type: string, n: number) => {
      const key = `${kind}:${type}`;
      const f = counts.get(key) ?? { kind, type, count: 0 };
      f.count += n;
      counts.set(key, f);
    };
    for (const g of groups) if (g.status === 'error') add('error', g.errorCode ?? 'unknown', g.calls);
    for (const r of decisions) if (r.outcome === 'refused') add('refused', 'no model could take it', r.requests);
    for (const g of this.calls.rollups.gateFailures(since)) add('gate', g.gate, g.failures);
    return [...counts.values()].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  }

  /** Seed 000's llm-performance.json entries for the requests of the last `days` days (all when omitted). */
  export(days?: number): { fileName: string; entries: ReturnType<typeof toLlmPerformance>[] } {
    const since = days === undefined ? 0 : emptySeries(this.now(), days)[0]!.start;
    return { fileName: 'llm-performance.json', entries: this.d.decisions.list({ since, limit: ALL }).map(toLlmPerformance) };
  }
}

/** Token sums as a Usage whose uncached input is the rolled-up per-call one (costOf takes max(0, …) per call). */
function usageOf(g: CallGroup) {
  return { inputTokens: g.uncachedInputTokens + g.cachedInputTokens + g.cacheWriteTokens, outputTokens: g.outputTokens, cachedInputTokens: g.cachedInputTokens, cacheWriteTokens: g.cacheWriteTokens, estimated: false };
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
