import { serializeError, type SerializedError } from '../../shared/errors';
import { askJson, type ModelRunner, startBounded, type Bounded, callOnce, costFor, type CallProgress, type CostOf, type Usage } from '../runner';
import { voteJsonSchema, voteMessages, voteSchema } from './consensus';
import type { MemberResponse, MemberStatus, Vote } from './types';

export interface MemberJobResult {
  ok: boolean;
  text: string;
  vote: Vote | null;
  usage: Usage | null;
  attempts: number;
  servedBy: string;
  error: SerializedError | null;
}

/** What one member does in stage 1, under the signal that cut-off / timeout / cancel abort. */
export type MemberJob = (model: string, signal: AbortSignal, progress: CallProgress) => Promise<MemberJobResult>;

export interface GatherOptions {
  models: readonly string[];
  minResponses: number;
  timeoutMs: (model: string) => number;
  job: MemberJob;
  signal?: AbortSignal;
  costOf?: CostOf;
  now?: () => number;
  onSettled?: (response: MemberResponse) => void;
}

export interface Gathered {
  responses: MemberResponse[];
  /** Start → the moment we stopped waiting (the K-th answer, or the last member to settle). */
  generationMs: number;
}

function stoppedError(status: 'timeout' | 'cancelled', model: string, ms: number): SerializedError {
  return status === 'timeout'
    ? { code: 'timeout', message: `${model} did not answer within ${Math.round(ms / 1000)} s, the per-model timeout of this council's pool.`, retryable: true }
    : { code: 'cancelled', message: 'The council was stopped.', retryable: false };
}

/**
 * Stage 1 (seed 001's "early completion"): every member starts at once, each with its own
 * AbortController and timeout; as soon as `minResponses` have answered, the others are cut off
 * (their requests aborted) and we move on. Failures and timeouts are recorded, never thrown.
 */
export async function gatherAnswers(o: GatherOptions): Promise<Gathered> {
  const now = o.now ?? Date.now;
  const start = now();
  let answered = 0;
  let settledCount = 0;
  const members = o.models.map((model) => {
    const progress: CallProgress = { text: '', firstTokenAt: null };
    const run = startBounded({ timeoutMs: o.timeoutMs(model), signal: o.signal, now, run: (signal) => o.job(model, signal, progress) });
    return { model, progress, run };
  });
  const responses = await Promise.all(
    members.map(async (m) => {
      const outcome = await m.run.promise;
      const response = toResponse(m.model, outcome, m.progress, ++settledCount, o);
      if (response.status === 'answered') answered++;
      o.onSettled?.(response);
      if (answered >= o.minResponses) for (const other of members) other.run.cutOff();
      return response;
    }),
  );
  return { responses, generationMs: now() - start };
}

function toResponse(model: string, b: Bounded<MemberJobResult>, progress: CallProgress, order: number, o: GatherOptions): MemberResponse {
  const value = b.value;
  let status: MemberStatus;
  let error: SerializedError | null = null;
  if (b.status === 'done' && value) {
    status = value.ok ? 'answered' : 'failed';
    error = value.error;
  } else if (b.status === 'cut-off') status = 'cut-off';
  else {
    status = b.status === 'timeout' ? 'timeout' : 'cancelled';
    error = stoppedError(status, model, o.timeoutMs(model));
  }
  const usage = value?.usage ?? null;
  return {
    model,
    status,
    text: value?.text ?? progress.text,
    vote: value?.vote ?? null,
    startedAt: b.startedAt,
    latencyMs: b.endedAt - b.startedAt,
    firstTokenMs: progress.firstTokenAt === null ? null : progress.firstTokenAt - b.startedAt,
    usage,
    costUsd: costFor(o.costOf, value?.servedBy ?? model, usage),
    attempts: value?.attempts ?? 1,
    servedBy: value && value.servedBy !== model ? value.servedBy : null,
    error,
    settledOrder: order,
  };
}

const ANSWER_SYSTEM =
  'You are one member of a council of models answering the same question independently. Answer fully and precisely; ' +
  'other models will review the answers anonymously.';

/** Synthesis mode: a free-form answer, streamed. */
export function answerJob(runner: ModelRunner, question: string, onDelta: (model: string, text: string) => void, now?: () => number): MemberJob {
  return async (model, signal, progress) => {
    const reply = await callOnce({
      runner,
      model,
      messages: [
        { role: 'system', content: ANSWER_SYSTEM },
        { role: 'user', content: question },
      ],
      signal,
      purpose: 'council.answer',
      progress,
      onDelta: (text) => onDelta(model, text),
      now,
    });
    const empty = !reply.error && reply.text.trim() === '';
    const error = reply.error
      ? serializeError(reply.error)
      : empty
        ? { code: 'internal' as const, message: `${model} returned an empty answer.`, retryable: true }
        : null;
    return { ok: !error, text: reply.text, vote: null, usage: reply.usage, attempts: 1, servedBy: reply.servedBy, error };
  };
}

/** Consensus mode: a `{ verdict, reason }` vote, validated, with one retry on an invalid reply. */
export function voteJob(runner: ModelRunner, question: string, options: readonly string[], now?: () => number): MemberJob {
  const schema = voteSchema(options);
  const jsonSchema = voteJsonSchema(options);
  return async (model, signal, progress) => {
    const reply = await askJson({ runner, model, messages: voteMessages(question, options), schema, jsonSchema, signal, purpose: 'council.vote', progress, now });
    const base = { text: reply.text, usage: reply.usage, attempts: reply.attempts, servedBy: reply.servedBy };
    if (reply.ok) return { ...base, ok: true, vote: reply.value, error: null };
    const error: SerializedError =
      reply.reason === 'error'
        ? serializeError(reply.error)
        : { code: 'internal', message: `${model} gave no valid vote after ${reply.attempts} tries: ${reply.errors.join('; ')}`, retryable: true };
    return { ...base, ok: false, vote: null, error };
  };
}
