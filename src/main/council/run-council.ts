import { randomUUID } from 'node:crypto';
import { SwitchboardError, type SerializedError } from '../../shared/errors';
import { silentLogger, type Logger } from '../logger';
import { type ModelRunner, sumCosts, type CostOf } from '../runner';
import { DEFAULT_VERDICT_OPTIONS, describeVerdict, tallyVotes } from './consensus';
import { answerJob, gatherAnswers, voteJob } from './generation';
import { COUNCIL_POOLS, poolTimeoutMs, type CouncilPool } from './pools';
import type { Random } from './random';
import { reviewAnswers } from './review';
import { synthesise } from './synthesis';
import type { ConsensusVerdict, CouncilEvent, CouncilMode, CouncilRecord, MemberResponse, ReviewStage, SynthesisRecord } from './types';

export interface RunCouncilInput {
  question: string;
  /** Full model ids (`provider/model`), at least two, no repeats. */
  models: string[];
  /** Proceed once this many have answered; the rest are cut off (seed 001's min_responses). */
  minResponses: number;
  pool: CouncilPool;
  /** Overrides the pool's timeout for every call of this run. */
  perModelTimeoutMs?: number;
  /** Settings' edits of the pool timeouts (seed defaults 30 / 90 / 180 / 600 s). */
  poolTimeoutsMs?: Partial<Record<CouncilPool, number>>;
  /**
   * Adjusts the timeout per model, e.g. the reliability layer's cold-start grace for a local model
   * that Ollama still has to load (LOCAL_COLD_START_MS). Default: the pool's timeout for all.
   */
  timeoutForModel?: (model: string, poolTimeoutMs: number) => number;
  runner: ModelRunner;
  signal?: AbortSignal;
  onEvent?: (event: CouncilEvent) => void;
  mode: CouncilMode;
  /** Synthesis mode: who writes the final answer; default the author of the top-ranked answer. */
  chairman?: string;
  /** Synthesis mode: who ranks; default every member that answered. */
  reviewers?: string[];
  /** Consensus mode: the options to vote on; default approve / reject. */
  verdictOptions?: string[];
  costOf?: CostOf;
  /** Shuffles each reviewer's view; inject a seeded one in tests. */
  random?: Random;
  now?: () => number;
  id?: string;
  logger?: Logger;
}

function validateInput(o: RunCouncilInput): void {
  const problems: string[] = [];
  if (!o.question.trim()) problems.push('the question is empty');
  if (o.models.length < 2) problems.push('a council needs at least two models (for one model, use a normal chat)');
  if (new Set(o.models).size !== o.models.length) problems.push('a model is listed twice');
  if (!Number.isInteger(o.minResponses) || o.minResponses < 1 || o.minResponses > o.models.length) {
    problems.push(`minResponses must be between 1 and the number of models (${o.models.length})`);
  }
  if (!COUNCIL_POOLS.includes(o.pool)) problems.push(`pool must be one of ${COUNCIL_POOLS.join(', ')}`);
  if (o.perModelTimeoutMs !== undefined && !(o.perModelTimeoutMs > 0)) problems.push('perModelTimeoutMs must be positive');
  const options = o.verdictOptions ?? [];
  if (o.mode === 'consensus' && o.verdictOptions && (options.length < 2 || new Set(options.map((v) => v.toLowerCase())).size !== options.length)) {
    problems.push('a vote needs at least two distinct options');
  }
  if (problems.length) throw new SwitchboardError('invalid_input', `Cannot start the council: ${problems.join('; ')}.`, { details: { problems } });
}

function stageOneNotes(responses: readonly MemberResponse[], minResponses: number): string[] {
  const notes: string[] = [];
  const answered = responses.filter((r) => r.status === 'answered').length;
  const cut = responses.filter((r) => r.status === 'cut-off').map((r) => r.model);
  if (cut.length) notes.push(`${cut.join(', ')} ${cut.length === 1 ? 'was' : 'were'} still answering when ${minResponses} answers were in, and ${cut.length === 1 ? 'was' : 'were'} stopped.`);
  for (const r of responses) {
    if ((r.status === 'failed' || r.status === 'timeout') && r.error) notes.push(`${r.model} ${r.status === 'timeout' ? 'timed out' : 'failed'}: ${r.error.message}`);
    if (r.servedBy) notes.push(`${r.model} was unavailable; ${r.servedBy} answered in its place.`);
  }
  if (answered > 0 && answered < minResponses) notes.push(`Only ${answered} of the ${minResponses} answers asked for arrived; the council went on with them.`);
  return notes;
}

/**
 * A council run (seed 001's three stages): parallel answers with early completion, anonymous peer
 * review with a Borda count, and a streamed chairman synthesis; or, in consensus mode, a vote.
 * Resolves with the record in every case but bad input (failed and cancelled runs included), so
 * the caller can persist and show what happened.
 */
export async function runCouncil(o: RunCouncilInput): Promise<CouncilRecord> {
  validateInput(o);
  const now = o.now ?? Date.now;
  const logger = o.logger ?? silentLogger;
  const runId = o.id ?? randomUUID();
  const timeoutMs = poolTimeoutMs(o.pool, o.poolTimeoutsMs, o.perModelTimeoutMs);
  const timeoutFor = (model: string): number => o.timeoutForModel?.(model, timeoutMs) ?? timeoutMs;
  const options = o.verdictOptions ?? [...DEFAULT_VERDICT_OPTIONS];
  const startedAt = now();
  const emit = (event: CouncilEvent): void => {
    try {
      o.onEvent?.(event);
    } catch (error) {
      logger.warn('a council event listener threw', { error, runId, type: event.type });
    }
  };

  emit({ type: 'stage', runId, stage: 'generation', state: 'started' });
  const job =
    o.mode === 'consensus'
      ? voteJob(o.runner, o.question, options, now)
      : answerJob(o.runner, o.question, (model, text) => emit({ type: 'answer-delta', runId, model, text }), now);
  const { responses, generationMs } = await gatherAnswers({
    models: o.models,
    minResponses: o.minResponses,
    timeoutMs: timeoutFor,
    job,
    signal: o.signal,
    costOf: o.costOf,
    now,
    onSettled: (r) => emit({ type: 'member-done', runId, model: r.model, status: r.status, latencyMs: r.latencyMs }),
  });
  emit({ type: 'stage', runId, stage: 'generation', state: 'done' });

  const notes = stageOneNotes(responses, o.minResponses);
  const answered = responses.filter((r) => r.status === 'answered');
  let review: ReviewStage | null = null;
  let synthesis: SynthesisRecord | null = null;
  let verdict: ConsensusVerdict | null = null;
  let chairman: string | null = null;
  let answer = '';
  let error: SerializedError | null = null;

  const finish = (status: CouncilRecord['status']): CouncilRecord => {
    const finishedAt = now();
    const costs = [...responses.map((r) => r.costUsd), ...(review?.reviews.map((r) => r.costUsd) ?? []), synthesis?.costUsd ?? null];
    const record: CouncilRecord = {
      id: runId, question: o.question, mode: o.mode, pool: o.pool, models: [...o.models], minResponses: o.minResponses,
      perModelTimeoutMs: timeoutMs, chairman, status, answer, responses, review, synthesis, verdict, notes,
      startedAt, finishedAt, wallMs: finishedAt - startedAt, generationMs, totalCostUsd: sumCosts(costs), error,
    };
    emit({ type: 'council-done', runId, status, wallMs: record.wallMs });
    return record;
  };
  const cancelled = (): CouncilRecord => {
    error = { code: 'cancelled', message: 'The council was stopped.', retryable: false };
    return finish('cancelled');
  };

  if (o.signal?.aborted) return cancelled();
  if (answered.length === 0) {
    const why = responses.map((r) => `${r.model}: ${r.error?.message ?? r.status}`).join('; ');
    error = { code: 'unavailable', message: `No council member answered (${why}). Check that the models are available, or pick others.`, retryable: true };
    return finish('failed');
  }

  if (o.mode === 'consensus') {
    verdict = tallyVotes(responses, options);
    answer = describeVerdict(verdict, o.models.length);
    return finish('completed');
  }

  emit({ type: 'stage', runId, stage: 'review', state: 'started' });
  review = await reviewAnswers({
    question: o.question,
    answers: answered.map((r) => ({ model: r.model, text: r.text })),
    reviewers: o.reviewers ?? answered.map((r) => r.model),
    runner: o.runner,
    random: o.random ?? Math.random,
    timeoutMs: timeoutFor,
    signal: o.signal,
    costOf: o.costOf,
    now,
    onReviewed: (r) => emit({ type: 'review-done', runId, reviewer: r.reviewer, status: r.status, note: r.note }),
  });
  emit({ type: 'stage', runId, stage: 'review', state: review.skipped ? 'skipped' : 'done', ...(review.reason ? { note: review.reason } : {}) });
  if (review.reason) notes.push(review.reason);
  for (const r of review.reviews) if (r.note) notes.push(r.note);
  if (o.signal?.aborted) return cancelled();

  const top = review.ranking[0]?.candidate;
  chairman = o.chairman ?? top ?? (answered[0] as MemberResponse).model;
  emit({ type: 'stage', runId, stage: 'synthesis', state: 'started' });
  synthesis = await synthesise({
    question: o.question,
    chairman,
    answers: answered.map((r) => ({ model: r.model, text: r.text })),
    review,
    runner: o.runner,
    timeoutMs: timeoutFor(chairman),
    signal: o.signal,
    costOf: o.costOf,
    now,
    onDelta: (text) => emit({ type: 'synthesis-delta', runId, model: chairman as string, text }),
  });
  emit({ type: 'stage', runId, stage: 'synthesis', state: 'done' });
  if (synthesis.status === 'cancelled' || o.signal?.aborted) return cancelled();
  if (synthesis.status === 'answered') answer = synthesis.text;
  else {
    const best = answered.find((r) => r.model === top) ?? (answered[0] as MemberResponse);
    answer = best.text;
    notes.push(`The chairman ${chairman} could not write the synthesis (${synthesis.error?.message ?? synthesis.status}); showing ${top ? 'the top-ranked' : 'the first'} answer, from ${best.model}, instead.`);
  }
  return finish('completed');
}
