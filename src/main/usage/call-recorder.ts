import { randomUUID } from 'node:crypto';
import type { CallPurpose, Tier } from '../../shared/contract';
import type { Logger } from '../logger';
import { percentile, type CallRecord, type CallSink, type CallStatus } from '../runner';
import type { Db } from '../store/database';
import { CallRollups, type CallGroup } from './call-rollups';

/** Latency percentiles are over each model's newest successful calls, at most this many. */
export const LATENCY_SAMPLE = 2_000;

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
 * usage questions Settings and the dashboard ask: p50/p95 latency per model, spend over a period —
 * from the rollups the insert trigger keeps (migration 9) and indexed reads, never a scan of the log.
 * A failed write is logged, never thrown into a reply stream.
 */
export class CallRecorder implements CallSink {
  private readonly insert;
  private readonly sql;
  readonly rollups: CallRollups;

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
    this.rollups = new CallRollups(db);
    this.sql = {
      sample: db.prepare(
        `SELECT ended_at - started_at AS ms, first_token_at - started_at AS ttft FROM calls
         WHERE model_id = ? AND status = 'ok' AND started_at >= ? ORDER BY started_at DESC LIMIT ?`,
      ),
    };
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
   * Nearest-rank p50/p95 of latency (start → end) and time to first token per model, over its
   * newest successful calls since `sinceMs` (at most LATENCY_SAMPLE of them: today's latency, read
   * by index whatever the size of the log, issue #17). Seed 001: watch P95, not the average.
   */
  latencyByModel(sinceMs = 0): ModelLatency[] {
    return this.rollups.models(sinceMs).flatMap(({ modelId }) => {
      const sample = this.latencySample(modelId, sinceMs);
      if (sample.length === 0) return [];
      const ms = sample.map((c) => c.ms).sort((a, b) => a - b);
      const ttft = sample.filter((c) => c.ttft !== null).map((c) => c.ttft as number).sort((a, b) => a - b);
      return [{ modelId, calls: ms.length, p50Ms: percentile(ms, 50)!, p95Ms: percentile(ms, 95)!, p50TtftMs: percentile(ttft, 50), p95TtftMs: percentile(ttft, 95) }];
    });
  }

  /** The newest successful calls of one model since `sinceMs` (index `calls_by_model_status_time`). */
  latencySample(modelId: string, sinceMs = 0, limit = LATENCY_SAMPLE): Array<{ ms: number; ttft: number | null }> {
    return this.sql.sample.all(modelId, sinceMs, limit) as Array<{ ms: number; ttft: number | null }>;
  }

  /** Spend and call counts since `sinceMs`, with how much of it is estimated (from the rollups). */
  spendSince(sinceMs = 0): { costUsd: number; calls: number; estimatedCalls: number; byModel: Array<{ modelId: string; costUsd: number; calls: number }> } {
    const byModel = new Map<string, { modelId: string; costUsd: number; calls: number }>();
    let costUsd = 0;
    let calls = 0;
    let estimatedCalls = 0;
    for (const g of this.rollups.callGroups(sinceMs)) {
      costUsd += g.costUsd;
      calls += g.calls;
      estimatedCalls += g.estimatedCalls;
      const m = byModel.get(g.modelId) ?? { modelId: g.modelId, costUsd: 0, calls: 0 };
      m.costUsd += g.costUsd;
      m.calls += g.calls;
      byModel.set(g.modelId, m);
    }
    return { costUsd, calls, estimatedCalls, byModel: [...byModel.values()].sort((a, b) => b.costUsd - a.costUsd) };
  }

  /** Calls, cost and tokens per purpose since `sinceMs`, most expensive first (then most calls). */
  spendByPurpose(sinceMs = 0): PurposeSpend[] {
    return purposeSpend(this.rollups.callGroups(sinceMs));
  }
}

/** Per purpose, most expensive first (then most calls, then by name). */
export function purposeSpend(groups: readonly CallGroup[]): PurposeSpend[] {
  const by = new Map<CallPurpose, PurposeSpend>();
  for (const g of groups) {
    const p = by.get(g.purpose) ?? { purpose: g.purpose, calls: 0, costUsd: 0, inputTokens: 0, outputTokens: 0 };
    p.calls += g.calls;
    p.costUsd += g.costUsd;
    p.inputTokens += g.inputTokens;
    p.outputTokens += g.outputTokens;
    by.set(g.purpose, p);
  }
  return [...by.values()].sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls || a.purpose.localeCompare(b.purpose));
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
