import type { z } from 'zod';
import type { PerformanceEntryShape } from '../../shared/contract';
import type { CouncilRecord } from './types';

/**
 * One entry of `llm-performance.json`, seed 000's record shape (`task`, `models`, `timestamp`,
 * `latency_ms`, `votes`, `verdict`) plus what the seed says to track next to it: status, first
 * token, cost, wall time. `latency_ms` holds answered members only; a member that was cut off or
 * timed out appears in `stopped_after_ms`, so averages are not pulled down by aborted calls.
 */
export type PerformanceEntry = z.infer<typeof PerformanceEntryShape>;

/** UNANIMOUS_APPROVE, MAJORITY_REJECT, SPLIT, as in the seed's example. */
export function verdictCode(record: CouncilRecord): string | null {
  const v = record.verdict;
  if (!v) return null;
  if (v.outcome === 'split' || v.verdict === null) return 'SPLIT';
  return `${v.outcome.toUpperCase()}_${v.verdict.toUpperCase().replace(/\W+/g, '_')}`;
}

export function toPerformanceEntry(record: CouncilRecord): PerformanceEntry {
  const pick = <T>(f: (r: CouncilRecord['responses'][number]) => T | undefined): Record<string, T> =>
    Object.fromEntries(record.responses.flatMap((r) => {
      const value = f(r);
      return value === undefined ? [] : [[r.model, value]];
    }));
  return {
    task: record.question,
    models: [...record.models],
    timestamp: new Date(record.startedAt).toISOString(),
    latency_ms: pick((r) => (r.status === 'answered' ? r.latencyMs : undefined)),
    votes: pick((r) => r.vote?.verdict.toUpperCase()),
    verdict: verdictCode(record),
    mode: record.mode,
    pool: record.pool,
    status: pick((r) => r.status),
    first_token_ms: pick((r) => r.firstTokenMs ?? undefined),
    stopped_after_ms: pick((r) => (r.status === 'cut-off' || r.status === 'timeout' ? r.latencyMs : undefined)),
    cost_usd: pick((r) => r.costUsd),
    rankings: Object.fromEntries(record.review?.ranking.map((row) => [row.candidate, row.rank]) ?? []),
    chairman: record.chairman,
    wall_ms: record.wallMs,
    total_cost_usd: record.totalCostUsd,
    run_status: record.status,
  };
}
