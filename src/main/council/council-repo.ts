import type { CouncilRunSummary } from '../../shared/contract';
import type { Db } from '../store';
import type { SerializedError } from '../../shared/errors';
import type { Usage } from '../runner';
import { toPerformanceEntry, type PerformanceEntry } from './performance-log';
import type { CouncilRecord, MemberResponse, ReviewRecord, ReviewStage, SynthesisRecord } from './types';

interface RunRow {
  id: string; question: string; mode: CouncilRecord['mode']; pool: CouncilRecord['pool']; status: CouncilRecord['status'];
  models_json: string; min_responses: number; per_model_timeout_ms: number; chairman: string | null; answer: string;
  review_json: string | null; verdict_json: string | null; notes_json: string; error_json: string | null;
  started_at: number; finished_at: number; wall_ms: number; generation_ms: number; total_cost_usd: number | null;
}
interface ResponseRow {
  run_id: string; seq: number; stage: 'generation' | 'review' | 'synthesis'; model: string; status: string; text: string;
  started_at: number | null; latency_ms: number; first_token_ms: number | null; input_tokens: number | null;
  output_tokens: number | null; usage_estimated: number | null; cost_usd: number | null; attempts: number;
  detail_json: string | null; error_json: string | null;
}

/** A past run in the history list: the contract's CouncilRunSummary (`council.list`). */
export type { CouncilRunSummary };

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));
const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
const toUsage = (row: ResponseRow): Usage | null =>
  row.input_tokens === null || row.output_tokens === null ? null : { inputTokens: row.input_tokens, outputTokens: row.output_tokens, estimated: row.usage_estimated === 1 };

/** Council runs in SQLite (migration 006): one row per run, one per model call (answer, review, synthesis). */
export class CouncilRepo {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      insertRun: db.prepare(
        `INSERT INTO council_runs (id, conversation_id, question, mode, pool, status, models_json, min_responses, per_model_timeout_ms,
           chairman, answer, review_json, verdict_json, notes_json, error_json, started_at, finished_at, wall_ms, generation_ms, total_cost_usd)
         VALUES (@id, @conversationId, @question, @mode, @pool, @status, @modelsJson, @minResponses, @perModelTimeoutMs, @chairman, @answer,
           @reviewJson, @verdictJson, @notesJson, @errorJson, @startedAt, @finishedAt, @wallMs, @generationMs, @totalCostUsd)`,
      ),
      insertResponse: db.prepare(
        `INSERT INTO council_responses (run_id, seq, stage, model, status, text, started_at, latency_ms, first_token_ms, input_tokens,
           output_tokens, usage_estimated, cost_usd, attempts, detail_json, error_json)
         VALUES (@runId, @seq, @stage, @model, @status, @text, @startedAt, @latencyMs, @firstTokenMs, @inputTokens, @outputTokens,
           @usageEstimated, @costUsd, @attempts, @detailJson, @errorJson)`,
      ),
      run: db.prepare<[string], RunRow>('SELECT * FROM council_runs WHERE id = ?'),
      responses: db.prepare<[string], ResponseRow>('SELECT * FROM council_responses WHERE run_id = ? ORDER BY seq'),
      list: db.prepare<[number, number], RunRow>('SELECT * FROM council_runs WHERE started_at >= ? ORDER BY started_at DESC LIMIT ?'),
      delete: db.prepare('DELETE FROM council_runs WHERE id = ?'),
    };
  }

  save(record: CouncilRecord, options: { conversationId?: string | null } = {}): void {
    this.db.transaction(() => {
      const review = record.review ? { skipped: record.review.skipped, reason: record.review.reason, ranking: record.review.ranking } : null;
      this.stmts.insertRun.run({
        id: record.id, conversationId: options.conversationId ?? null, question: record.question, mode: record.mode, pool: record.pool,
        status: record.status, modelsJson: JSON.stringify(record.models), minResponses: record.minResponses,
        perModelTimeoutMs: record.perModelTimeoutMs, chairman: record.chairman, answer: record.answer, reviewJson: json(review),
        verdictJson: json(record.verdict), notesJson: JSON.stringify(record.notes), errorJson: json(record.error),
        startedAt: record.startedAt, finishedAt: record.finishedAt, wallMs: record.wallMs, generationMs: record.generationMs,
        totalCostUsd: record.totalCostUsd,
      });
      let seq = 0;
      const row = (stage: ResponseRow['stage'], r: { model: string; status: string; text: string; latencyMs: number; usage: Usage | null; costUsd: number | null; attempts: number }, extra: { startedAt?: number; firstTokenMs?: number | null; detail?: unknown; error?: SerializedError | null }): void => {
        this.stmts.insertResponse.run({
          runId: record.id, seq: seq++, stage, model: r.model, status: r.status, text: r.text, startedAt: extra.startedAt ?? null,
          latencyMs: r.latencyMs, firstTokenMs: extra.firstTokenMs ?? null, inputTokens: r.usage?.inputTokens ?? null,
          outputTokens: r.usage?.outputTokens ?? null, usageEstimated: r.usage ? Number(r.usage.estimated) : null, costUsd: r.costUsd,
          attempts: r.attempts, detailJson: json(extra.detail), errorJson: json(extra.error),
        });
      };
      for (const r of record.responses) {
        row('generation', r, { startedAt: r.startedAt, firstTokenMs: r.firstTokenMs, error: r.error, detail: { vote: r.vote, servedBy: r.servedBy, settledOrder: r.settledOrder } });
      }
      for (const r of record.review?.reviews ?? []) {
        row('review', { ...r, model: r.reviewer, text: r.reasons }, { detail: { shown: r.shown, ranking: r.ranking, rankingModels: r.rankingModels, note: r.note } });
      }
      const s = record.synthesis;
      if (s) row('synthesis', { ...s, attempts: 1 }, { firstTokenMs: s.firstTokenMs, error: s.error });
    })();
  }

  get(id: string): CouncilRecord | null {
    const run = this.stmts.run.get(id);
    if (!run) return null;
    const rows = this.stmts.responses.all(id);
    const responses: MemberResponse[] = rows.filter((r) => r.stage === 'generation').map((r) => {
      const d = parse<{ vote: MemberResponse['vote']; servedBy: string | null; settledOrder: number }>(r.detail_json);
      return {
        model: r.model, status: r.status as MemberResponse['status'], text: r.text, vote: d?.vote ?? null, startedAt: r.started_at ?? run.started_at,
        latencyMs: r.latency_ms, firstTokenMs: r.first_token_ms, usage: toUsage(r), costUsd: r.cost_usd, attempts: r.attempts,
        servedBy: d?.servedBy ?? null, error: parse<SerializedError>(r.error_json), settledOrder: d?.settledOrder ?? 0,
      };
    });
    const reviews: ReviewRecord[] = rows.filter((r) => r.stage === 'review').map((r) => {
      const d = parse<Pick<ReviewRecord, 'shown' | 'ranking' | 'rankingModels' | 'note'>>(r.detail_json);
      return {
        reviewer: r.model, status: r.status as ReviewRecord['status'], shown: d?.shown ?? [], ranking: d?.ranking ?? [],
        rankingModels: d?.rankingModels ?? [], reasons: r.text, note: d?.note ?? null, attempts: r.attempts, latencyMs: r.latency_ms,
        usage: toUsage(r), costUsd: r.cost_usd,
      };
    });
    const s = rows.find((r) => r.stage === 'synthesis');
    const synthesis: SynthesisRecord | null = s
      ? { model: s.model, status: s.status as SynthesisRecord['status'], text: s.text, latencyMs: s.latency_ms, firstTokenMs: s.first_token_ms, usage: toUsage(s), costUsd: s.cost_usd, error: parse<SerializedError>(s.error_json) }
      : null;
    const review = parse<Omit<ReviewStage, 'reviews'>>(run.review_json);
    return {
      id: run.id, question: run.question, mode: run.mode, pool: run.pool, models: JSON.parse(run.models_json) as string[],
      minResponses: run.min_responses, perModelTimeoutMs: run.per_model_timeout_ms, chairman: run.chairman, status: run.status,
      answer: run.answer, responses, review: review ? { ...review, reviews } : null, synthesis, verdict: parse(run.verdict_json),
      notes: JSON.parse(run.notes_json) as string[], startedAt: run.started_at, finishedAt: run.finished_at, wallMs: run.wall_ms,
      generationMs: run.generation_ms, totalCostUsd: run.total_cost_usd, error: parse<SerializedError>(run.error_json),
    };
  }

  list(options: { since?: number; limit?: number } = {}): CouncilRunSummary[] {
    return this.stmts.list.all(options.since ?? 0, options.limit ?? 100).map((r) => ({
      id: r.id, question: r.question, mode: r.mode, status: r.status, startedAt: r.started_at, wallMs: r.wall_ms, totalCostUsd: r.total_cost_usd,
    }));
  }

  /** The runs as `llm-performance.json` entries (seed 000), newest first; the caller writes the file. */
  exportPerformance(options: { since?: number; limit?: number } = {}): PerformanceEntry[] {
    return this.list({ limit: 10_000, ...options }).map((s) => toPerformanceEntry(this.get(s.id) as CouncilRecord));
  }

  delete(id: string): boolean {
    return this.stmts.delete.run(id).changes > 0;
  }
}
