import type { CallPurpose, Tier } from '../../shared/contract';
import type { Db } from '../store/database';
import { BUCKET_MS, FIRST_FAILED_GATE } from '../store/migrations/009-call-rollups';

/** One group of `call_rollups` (migration 9): calls of one model, purpose and status in a period. */
export interface CallGroup {
  bucket: number;
  modelId: string;
  provider: string;
  tier: Tier;
  purpose: CallPurpose;
  status: 'ok' | 'error' | 'cancelled';
  errorCode: string | null;
  calls: number;
  estimatedCalls: number;
  costUsd: number;
  inputTokens: number;
  uncachedInputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
}

export interface DecisionGroup {
  bucket: number;
  outcome: 'ok' | 'failed' | 'cancelled' | 'refused';
  tier: Tier | null;
  /** Whether any model ran (a refused request has no attempts). */
  attempted: boolean;
  escalated: boolean;
  requests: number;
  escalations: number;
}

const GROUP_COLUMNS = `model_id AS modelId, provider, tier, purpose, status, NULLIF(error_code, '') AS errorCode,
  SUM(calls) AS calls, SUM(estimated_calls) AS estimatedCalls, SUM(cost_usd) AS costUsd, SUM(input_tokens) AS inputTokens,
  SUM(uncached_input_tokens) AS uncachedInputTokens, SUM(output_tokens) AS outputTokens, SUM(cached_input_tokens) AS cachedInputTokens,
  SUM(cache_write_tokens) AS cacheWriteTokens`;
const RAW_COLUMNS = `model_id AS modelId, provider, tier, purpose, status, error_code AS errorCode,
  COUNT(*) AS calls, SUM(estimated) AS estimatedCalls, SUM(cost_usd) AS costUsd, SUM(input_tokens) AS inputTokens,
  SUM(MAX(0, input_tokens - cached_input_tokens - cache_write_tokens)) AS uncachedInputTokens, SUM(output_tokens) AS outputTokens,
  SUM(cached_input_tokens) AS cachedInputTokens, SUM(cache_write_tokens) AS cacheWriteTokens`;

/**
 * Reads the rolled-up call log (migration 9) for any period: whole quarter hours from the rollups,
 * and the ragged edge before the first whole quarter hour (only when `since` is not on one) from
 * `calls` by its time index. The cost grows with the length of the period and the number of
 * models, never with the number of calls (issue #17).
 */
export class CallRollups {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = {
      groups: db.prepare(`SELECT bucket, ${GROUP_COLUMNS} FROM call_rollups WHERE bucket >= ? GROUP BY bucket, model_id, provider, tier, purpose, status, error_code`),
      edge: db.prepare(`SELECT ? AS bucket, ${RAW_COLUMNS} FROM calls WHERE started_at >= ? AND started_at < ? GROUP BY model_id, provider, tier, purpose, status, error_code`),
      cost: db.prepare(`SELECT COALESCE(SUM(cost_usd), 0) AS costUsd FROM call_rollups WHERE bucket >= ?`),
      edgeCost: db.prepare(`SELECT COALESCE(SUM(cost_usd), 0) AS costUsd FROM calls WHERE started_at >= ? AND started_at < ?`),
      lastRowid: db.prepare(`SELECT COALESCE(MAX(rowid), 0) AS lastRowid FROM calls`),
      decisions: db.prepare(
        `SELECT bucket, outcome, NULLIF(tier, '') AS tier, attempted, escalated, requests, escalations FROM decision_rollups WHERE bucket >= ?`,
      ),
      decisionEdge: db.prepare(
        `SELECT ? AS bucket, outcome, tier, json_array_length(attempts_json) > 0 AS attempted, escalations > 0 AS escalated, COUNT(*) AS requests, SUM(escalations) AS escalations
         FROM route_decisions WHERE created_at >= ? AND created_at < ? GROUP BY 2, 3, 4, 5`,
      ),
      gates: db.prepare(`SELECT gate, SUM(failures) AS failures FROM decision_gate_failures WHERE bucket >= ? GROUP BY gate`),
      gateEdge: db.prepare(
        `SELECT ${FIRST_FAILED_GATE} AS gate, COUNT(*) AS failures FROM route_decisions d, json_each(d.attempts_json) a
         WHERE d.created_at >= ? AND d.created_at < ? AND json_extract(a.value, '$.error') IS NULL AND gate IS NOT NULL GROUP BY gate`,
      ),
      models: db.prepare(`SELECT model_id AS modelId, tier FROM call_models WHERE last_at >= ? ORDER BY model_id`),
    };
  }

  /** Every group of calls that started at or after `sinceMs`, each with the quarter hour it began in. */
  callGroups(sinceMs: number): CallGroup[] {
    const { first, edgeEnd } = split(sinceMs);
    const rows = this.sql.groups.all(first) as CallGroup[];
    if (edgeEnd > sinceMs) rows.push(...(this.sql.edge.all(first - 1, sinceMs, edgeEnd) as CallGroup[]));
    return rows;
  }

  /**
   * USD of every call since `sinceMs`, with the newest calls rowid counted (one snapshot), so a
   * running total can add only what comes after it.
   */
  costSince(sinceMs: number): { costUsd: number; lastRowid: number } {
    return this.db.transaction(() => {
      const { first, edgeEnd } = split(sinceMs);
      let costUsd = (this.sql.cost.get(first) as { costUsd: number }).costUsd;
      if (edgeEnd > sinceMs) costUsd += (this.sql.edgeCost.get(sinceMs, edgeEnd) as { costUsd: number }).costUsd;
      return { costUsd, lastRowid: (this.sql.lastRowid.get() as { lastRowid: number }).lastRowid };
    })();
  }

  decisionGroups(sinceMs: number): DecisionGroup[] {
    const { first, edgeEnd } = split(sinceMs);
    const rows = this.sql.decisions.all(first) as Array<Omit<DecisionGroup, 'attempted' | 'escalated'> & { attempted: number; escalated: number }>;
    if (edgeEnd > sinceMs) rows.push(...(this.sql.decisionEdge.all(first - 1, sinceMs, edgeEnd) as typeof rows));
    return rows.map((r) => ({ ...r, attempted: r.attempted === 1, escalated: r.escalated === 1 }));
  }

  /** How often each gate was the first to fail an attempt that ran, in requests since `sinceMs`. */
  gateFailures(sinceMs: number): Array<{ gate: string; failures: number }> {
    const { first, edgeEnd } = split(sinceMs);
    const total = new Map<string, number>();
    const rows = this.sql.gates.all(first) as Array<{ gate: string; failures: number }>;
    if (edgeEnd > sinceMs) rows.push(...(this.sql.gateEdge.all(sinceMs, edgeEnd) as typeof rows));
    for (const r of rows) total.set(r.gate, (total.get(r.gate) ?? 0) + r.failures);
    return [...total].map(([gate, failures]) => ({ gate, failures }));
  }

  /** Models with a call at or after `sinceMs`, by id. */
  models(sinceMs = 0): Array<{ modelId: string; tier: Tier }> {
    return this.sql.models.all(sinceMs) as Array<{ modelId: string; tier: Tier }>;
  }
}

/** The epoch ms a rollup bucket starts at. */
export function bucketStart(bucket: number): number {
  return bucket * BUCKET_MS;
}

/** The first whole bucket at or after `sinceMs`, and where the ragged edge before it ends. */
function split(sinceMs: number): { first: number; edgeEnd: number } {
  const first = Math.ceil(Math.max(0, sinceMs) / BUCKET_MS);
  return { first, edgeEnd: first * BUCKET_MS };
}
