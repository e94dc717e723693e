import { randomUUID } from 'node:crypto';
import type { CallPurpose, Tier } from '../../shared/contract';
import type { Logger } from '../logger';
import type { CallRecord, CallSink, CallStatus } from '../runner';
import type { Db } from '../store/database';

/** Calls, cost and tokens of one purpose over a period. */
export interface PurposeSpend {
  purpose: CallPurpose;
  calls: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

export interface ModelLatency {
  modelId: string;
  calls: number;
  p50Ms: number;
  p95Ms: number;
  p50TtftMs: number | null;
  p95TtftMs: number | null;
}

interface CallRow {
  id: string;
  message_id: string | null;
  model_id: string;
  provider: string;
  tier: Tier;
  started_at: number;
  first_token_at: number | null;
  ended_at: number;
  status: CallStatus;
  error_code: string | null;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  cost_usd: number;
  estimated: number;
  attempt: number;
  fallback_from: string | null;
  purpose: CallPurpose;
  cost_unknown: number;
}

/**
 * Writes one `calls` row per model call (migration 2, store/migrations/002-usage.ts) and answers the
 * usage questions Settings and the dashboard ask: p50/p95 latency per model, spend over a period.
 * A failed write is logged, never thrown into a reply stream.
 */
export class CallRecorder implements CallSink {
  private readonly insert;

  constructor(
    private readonly db: Db,
    private readonly logger?: Logger,
  ) {
    this.insert = db.prepare(`
      INSERT INTO calls (id, message_id, model_id, provider, tier, started_at, first_token_at, ended_at, status, error_code,
        input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, cost_usd, estimated, attempt, fallback_from, purpose, cost_unknown)
      VALUES (@id, @messageId, @modelId, @provider, @tier, @startedAt, @firstTokenAt, @endedAt, @status, @errorCode,
        @inputTokens, @outputTokens, @cachedInputTokens, @cacheWriteTokens, @costUsd, @estimated, @attempt, @fallbackFrom, @purpose, @costUnknown)
    `);
  }

  record(call: CallRecord): void {
    try {
      this.insert.run({ ...call, id: call.id ?? randomUUID(), estimated: call.estimated ? 1 : 0, costUnknown: call.costUnknown ? 1 : 0 });
    } catch (error) {
      this.logger?.warn('a call record could not be written', { error, modelId: call.modelId });
    }
  }

  list(filter: { messageId?: string; modelId?: string; limit?: number } = {}): CallRecord[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit ?? 100 };
    if (filter.messageId !== undefined) {
      where.push('message_id = @messageId');
      params.messageId = filter.messageId;
    }
    if (filter.modelId !== undefined) {
      where.push('model_id = @modelId');
      params.modelId = filter.modelId;
    }
    const sql = `SELECT * FROM calls ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at, rowid LIMIT @limit`;
    return (this.db.prepare(sql).all(params) as CallRow[]).map(toRecord);
  }

  /**
   * Nearest-rank p50/p95 of latency (start → end) and time to first token per model, over
   * successful calls since `sinceMs`. Seed 001: watch P95, not the average.
   */
  latencyByModel(sinceMs = 0): ModelLatency[] {
    // rn*100 >= n*p  ⇔  rn >= ceil(n*p/100): the nearest rank, in integers (no CEIL in every SQLite build).
    const rows = this.db
      .prepare(
        `WITH lat AS (
           SELECT model_id, ended_at - started_at AS ms,
                  ROW_NUMBER() OVER (PARTITION BY model_id ORDER BY ended_at - started_at) AS rn,
                  COUNT(*) OVER (PARTITION BY model_id) AS n
           FROM calls WHERE status = 'ok' AND started_at >= @since
         ), ttft AS (
           SELECT model_id, first_token_at - started_at AS ms,
                  ROW_NUMBER() OVER (PARTITION BY model_id ORDER BY first_token_at - started_at) AS rn,
                  COUNT(*) OVER (PARTITION BY model_id) AS n
           FROM calls WHERE status = 'ok' AND first_token_at IS NOT NULL AND started_at >= @since
         ), lat_p AS (
           SELECT model_id, MAX(n) AS calls,
                  MIN(CASE WHEN rn * 100 >= n * 50 THEN ms END) AS p50,
                  MIN(CASE WHEN rn * 100 >= n * 95 THEN ms END) AS p95
           FROM lat GROUP BY model_id
         ), ttft_p AS (
           SELECT model_id,
                  MIN(CASE WHEN rn * 100 >= n * 50 THEN ms END) AS p50,
                  MIN(CASE WHEN rn * 100 >= n * 95 THEN ms END) AS p95
           FROM ttft GROUP BY model_id
         )
         SELECT lat_p.model_id AS modelId, lat_p.calls AS calls, lat_p.p50 AS p50Ms, lat_p.p95 AS p95Ms,
                ttft_p.p50 AS p50TtftMs, ttft_p.p95 AS p95TtftMs
         FROM lat_p LEFT JOIN ttft_p ON ttft_p.model_id = lat_p.model_id
         ORDER BY lat_p.model_id`,
      )
      .all({ since: sinceMs }) as ModelLatency[];
    return rows;
  }

  /** Spend and call counts since `sinceMs`, with how much of it is estimated. */
  spendSince(sinceMs = 0): { costUsd: number; calls: number; estimatedCalls: number; byModel: Array<{ modelId: string; costUsd: number; calls: number }> } {
    const total = this.db
      .prepare(`SELECT COALESCE(SUM(cost_usd), 0) AS costUsd, COUNT(*) AS calls, COALESCE(SUM(estimated), 0) AS estimatedCalls FROM calls WHERE started_at >= ?`)
      .get(sinceMs) as { costUsd: number; calls: number; estimatedCalls: number };
    const byModel = this.db
      .prepare(`SELECT model_id AS modelId, SUM(cost_usd) AS costUsd, COUNT(*) AS calls FROM calls WHERE started_at >= ? GROUP BY model_id ORDER BY costUsd DESC`)
      .all(sinceMs) as Array<{ modelId: string; costUsd: number; calls: number }>;
    return { ...total, byModel };
  }

  /** Calls, cost and tokens per purpose since `sinceMs`, most expensive first (then most calls). */
  spendByPurpose(sinceMs = 0): PurposeSpend[] {
    return this.db
      .prepare(
        `SELECT purpose, COUNT(*) AS calls, COALESCE(SUM(cost_usd), 0) AS costUsd,
                COALESCE(SUM(input_tokens), 0) AS inputTokens, COALESCE(SUM(output_tokens), 0) AS outputTokens
         FROM calls WHERE started_at >= ? GROUP BY purpose ORDER BY costUsd DESC, calls DESC, purpose`,
      )
      .all(sinceMs) as PurposeSpend[];
  }
}

function toRecord(row: CallRow): CallRecord {
  return {
    id: row.id,
    messageId: row.message_id,
    modelId: row.model_id,
    provider: row.provider,
    tier: row.tier,
    startedAt: row.started_at,
    firstTokenAt: row.first_token_at,
    endedAt: row.ended_at,
    status: row.status,
    errorCode: row.error_code,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedInputTokens: row.cached_input_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    costUsd: row.cost_usd,
    estimated: row.estimated === 1,
    attempt: row.attempt,
    fallbackFrom: row.fallback_from,
    purpose: row.purpose,
    ...(row.cost_unknown === 1 ? { costUnknown: true } : {}),
  };
}
