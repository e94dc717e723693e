import { randomUUID } from 'node:crypto';
import type { DecisionOutcome, DecisionRecord, LlmPerformanceEntry, Tier } from '../../shared/contract';
import type { Logger } from '../logger';
import type { Db } from '../store/database';
import type { WriteBehind } from '../store/write-behind';
import type { CascadeAttempt, CascadeResult } from './cascade';
import type { RequestAnalysis, RouteCandidate, RouteDecision } from './types';

/** One definition, in the shared contract (`routing.decision`, `metrics.export`). */
export type { DecisionOutcome, DecisionRecord, LlmPerformanceEntry };

/** The record of a decision and (when it ran) its cascade. */
export function decisionRecordFrom(
  decision: RouteDecision,
  result: CascadeResult | null,
  meta: { id?: string; messageId?: string | null; createdAt?: number } = {},
): DecisionRecord {
  const outcome: DecisionOutcome = !result ? 'refused' : result.ok ? 'ok' : result.failure?.code === 'cancelled' ? 'cancelled' : 'failed';
  const chosen = result?.model ?? null;
  const tier = chosen === null ? null : (result?.attempts.find((a) => a.model === chosen)?.tier ?? null);
  return {
    id: meta.id ?? randomUUID(),
    messageId: meta.messageId ?? null,
    createdAt: meta.createdAt ?? Date.now(),
    analysis: decision.analysis,
    candidates: decision.candidates,
    attempts: result?.attempts ?? [],
    reasons: decision.refusal ? [...decision.reasons, decision.refusal.message] : decision.reasons,
    chosenModel: chosen,
    tier,
    outcome,
    costUsd: result?.costUsd ?? 0,
    latencyMs: result?.latencyMs ?? 0,
    escalations: result?.escalations ?? 0,
  };
}

interface DecisionRow {
  id: string;
  message_id: string | null;
  created_at: number;
  analysis_json: string;
  candidates_json: string;
  attempts_json: string;
  reasons_json: string;
  chosen_model: string | null;
  tier: Tier | null;
  outcome: DecisionOutcome;
  cost_usd: number;
  latency_ms: number;
  escalations: number;
}

/**
 * Writes and reads `route_decisions`. A failed write is logged, never thrown into a reply. With a
 * WriteBehind the insert of a record without a message is deferred off the response path (issue
 * #17); reads flush it first.
 */
export class DecisionRecorder {
  private readonly insert;
  private readonly sql;

  constructor(
    private readonly db: Db,
    private readonly logger?: Logger,
    private readonly writes?: WriteBehind,
  ) {
    this.insert = db.prepare(
      `INSERT INTO route_decisions (id, message_id, created_at, analysis_json, candidates_json, attempts_json, reasons_json, chosen_model, tier, outcome, cost_usd, latency_ms, escalations)
       VALUES (@id, @messageId, @createdAt, @analysis, @candidates, @attempts, @reasons, @chosenModel, @tier, @outcome, @costUsd, @latencyMs, @escalations)`,
    );
    this.sql = { get: db.prepare(`SELECT * FROM route_decisions WHERE id = ?`) };
  }

  record(record: DecisionRecord): void {
    // A message's record is read with the message (its tier and escalations): written at once. The
    // rest (/v1, council, task calls) is read only through this class, which flushes first.
    if (this.writes && record.messageId === null) this.writes.defer(() => this.write(record));
    else this.write(record);
  }

  /** Decisions recorded so far are in the table (the dashboard's rollups read it). */
  flush(): void {
    this.writes?.flush();
  }

  private write(record: DecisionRecord): void {
    try {
      this.insert.run({
        ...record,
        analysis: JSON.stringify(record.analysis),
        candidates: JSON.stringify(record.candidates),
        attempts: JSON.stringify(record.attempts),
        reasons: JSON.stringify(record.reasons),
        latencyMs: Math.round(record.latencyMs),
      });
    } catch (error) {
      this.logger?.warn('a route decision could not be recorded', { error, id: record.id });
    }
  }

  get(id: string): DecisionRecord | undefined {
    this.flush();
    const row = this.sql.get.get(id) as DecisionRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /**
   * The latest answered decision of a conversation (issue #11: a follow-up starts no lower than the
   * previous turn's tier), through the message it filled.
   */
  lastInConversation(conversationId: string): DecisionRecord | undefined {
    const row = this.db
      .prepare(
        `SELECT d.* FROM route_decisions d JOIN messages m ON m.id = d.message_id
         WHERE m.conversation_id = ? AND d.tier IS NOT NULL AND d.outcome = 'ok' ORDER BY d.created_at DESC, d.rowid DESC LIMIT 1`,
      )
      .get(conversationId) as DecisionRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Oldest first within the window. */
  list(filter: { messageId?: string; since?: number; limit?: number } = {}): DecisionRecord[] {
    this.flush();
    const where: string[] = ['created_at >= @since'];
    const params: Record<string, unknown> = { since: filter.since ?? 0, limit: filter.limit ?? 100 };
    if (filter.messageId !== undefined) {
      where.push('message_id = @messageId');
      params.messageId = filter.messageId;
    }
    const rows = this.db.prepare(`SELECT * FROM route_decisions WHERE ${where.join(' AND ')} ORDER BY created_at, rowid LIMIT @limit`).all(params) as DecisionRow[];
    return rows.map(fromRow);
  }
}

function fromRow(row: DecisionRow): DecisionRecord {
  return {
    id: row.id,
    messageId: row.message_id,
    createdAt: row.created_at,
    analysis: JSON.parse(row.analysis_json) as RequestAnalysis,
    candidates: JSON.parse(row.candidates_json) as RouteCandidate[],
    attempts: JSON.parse(row.attempts_json) as CascadeAttempt[],
    reasons: JSON.parse(row.reasons_json) as string[],
    chosenModel: row.chosen_model,
    tier: row.tier,
    outcome: row.outcome,
    costUsd: row.cost_usd,
    latencyMs: row.latency_ms,
    escalations: row.escalations,
  };
}

/**
 * A decision in seed 000's performance-tracking shape: each attempt is a model's "vote" (its reply
 * passed the gates or not). Verdicts: UNANIMOUS_APPROVE (first model passed), ESCALATED_APPROVE (a
 * later one did), UNANIMOUS_REJECT, CANCELLED, NO_MODEL. `task` names the kind of request, never its
 * text: the file is meant to be shared.
 */
export function toLlmPerformance(record: DecisionRecord): LlmPerformanceEntry {
  const latency: Record<string, number> = {};
  const votes: Record<string, 'APPROVE' | 'REJECT'> = {};
  for (const a of record.attempts) {
    latency[a.model] = (latency[a.model] ?? 0) + Math.round(a.latencyMs);
    votes[a.model] = a.passed ? 'APPROVE' : 'REJECT';
  }
  const a = record.analysis;
  const approved = record.attempts.filter((x) => x.passed).length;
  const verdict =
    record.attempts.length === 0
      ? 'NO_MODEL'
      : record.outcome === 'cancelled'
        ? 'CANCELLED'
        : approved === 0
          ? 'UNANIMOUS_REJECT'
          : approved === record.attempts.length
            ? 'UNANIMOUS_APPROVE'
            : 'ESCALATED_APPROVE';
  return {
    task: `${a.intent} (${a.complexity}${a.qualityRequirement === 'critical' ? ', critical' : ''})`,
    models: [...new Set(record.attempts.map((x) => x.model))],
    timestamp: new Date(record.createdAt).toISOString(),
    latency_ms: latency,
    votes,
    verdict,
  };
}
