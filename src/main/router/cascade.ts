import type { CallPurpose, RouteAttempt, Tier } from '../../shared/contract';
import { SwitchboardError, serializeError, type SerializedError } from '../../shared/errors';
import { collectReply, estimateUsage, type ChatMessage, type ChatOptions, type ModelRunner, type RunTimeouts, type ToolCall } from '../runner';
import { answerCostUsd, tierOfUnknown } from './availability';
import { openingVerdict } from './opening-gate';
import { defaultGates, runGates, type GateResult, type QualityGate } from './quality-gates';
import type { RoutableModel, RouteDecision } from './types';

/** One model the cascade tried: the contract's RouteAttempt, its one definition (issue #10). */
export type CascadeAttempt = RouteAttempt;

export interface CascadeResult {
  ok: boolean;
  /** The kept reply: the passing attempt's, else the last attempt that produced text (marked by `ok: false`). */
  text: string;
  /** The tool calls of the passing attempt (issue #15): a reply may be only these, with no text. */
  toolCalls: ToolCall[];
  model: string | null;
  /** The attempt whose text is kept (`text`, `model`): its usage, finish reason and tier. Null when no attempt produced text. */
  kept: CascadeAttempt | null;
  attempts: CascadeAttempt[];
  escalations: number;
  costUsd: number;
  latencyMs: number;
  /** Why nothing passed, attempt by attempt (seed 002: "return error with diagnosis"). */
  failure: SerializedError | null;
}

export type CascadeEvent =
  | { type: 'attempt-start'; attempt: number; model: string; tier: Tier }
  | { type: 'delta'; attempt: number; text: string }
  /** `stream` mode: this attempt's opening passed the early gates and is being sent; it will not be replaced. */
  | { type: 'commit'; attempt: number; model: string }
  | { type: 'gate-result'; attempt: number; model: string; result: GateResult }
  | { type: 'escalate'; attempt: number; from: string; to: string; reason: string }
  | { type: 'done'; result: CascadeResult };

export interface CascadeOptions {
  decision: RouteDecision;
  messages: readonly ChatMessage[];
  runner: ModelRunner;
  /** Default `defaultGates()`; add `validatorGate(...)` for seed 002's validation score. */
  gates?: readonly QualityGate[];
  /** Further models after the first (`config.validation.maxEscalations`, default 2). */
  maxEscalations?: number;
  signal?: AbortSignal;
  onEvent?: (event: CascadeEvent) => void;
  /**
   * `live` (default): every attempt's deltas as they come — the caller shows them and clears the
   * reply on `escalate` ("escalating…"). `kept`: deltas only of the attempt that passed, after its gates.
   * `stream` (`/v1` streaming on switchboard/auto, issue #17): deltas of an attempt once its opening
   * passed the gates that can judge an opening (not empty, not a refusal: opening-gate.ts), then as
   * they come; such an attempt is final (a client cannot take text back), its end-of-stream gates are
   * still run and recorded. An attempt that fails before its first delta is sent escalates as usual.
   */
  deltas?: 'live' | 'kept' | 'stream';
  options?: ChatOptions;
  /** The first attempt's purpose (default `chat`); later attempts are `escalation`. */
  purpose?: CallPurpose;
  messageId?: string;
  /**
   * The output cap a paid attempt sends upstream (`max_tokens` / `num_predict`): what the budget
   * reserved for it. Local and free attempts cost nothing and keep `options.maxTokens` (the client's, if any).
   */
  paidReplyCap?: number;
  /** The timeout pool and bound of each attempt (council members and task nodes have their own). */
  timeouts?: RunTimeouts;
  /** Prices and tiers for the per-attempt cost (the same lookup as RouteContext.model). */
  model?: (id: string) => RoutableModel | undefined;
  now?: () => number;
}

/** Seed 002 leaves max_retries open; ours: two escalations (three models at most). */
export const DEFAULT_MAX_ESCALATIONS = 2;

/**
 * Seed 003's model cascade with quality gates, along the decision's chain (seed 002 "Retry with
 * Escalation": execute, validate, on failure escalate with the validation feedback in context,
 * up to max retries, and if all fail return the error with a diagnosis). Never throws.
 */
export async function runCascade(options: CascadeOptions): Promise<CascadeResult> {
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => undefined);
  const gates = options.gates ?? defaultGates();
  const mode = options.deltas ?? 'live';
  const live = mode === 'live';
  const chain = options.decision.chain.slice(0, (options.maxEscalations ?? DEFAULT_MAX_ESCALATIONS) + 1);
  const started = now();
  const attempts: CascadeAttempt[] = [];
  const failures: string[] = [];
  let kept: { text: string; model: string; attempt: CascadeAttempt } | null = null;
  let toolCalls: ToolCall[] = [];
  let failure: SerializedError | null = null;

  for (let i = 0; i < chain.length; i += 1) {
    const modelId = chain[i] as string;
    const info = options.model?.(modelId);
    const tier = info?.tier ?? options.decision.candidates.find((c) => c.model === modelId)?.tier ?? tierOfUnknown(modelId);
    const attempt = i + 1;
    emit({ type: 'attempt-start', attempt, model: modelId, tier });
    const messages = failures.length > 0 ? withEscalationNote(options.messages, failures) : [...options.messages];
    const t0 = now();
    const chunks: string[] = [];
    let committed = false;
    let opening = '';
    let judging = mode === 'stream';
    const reply = await collectReply(
      options.runner.stream({ model: modelId, messages, options: attemptOptions(options, tier), signal: options.signal, purpose: i === 0 ? (options.purpose ?? 'chat') : 'escalation', messageId: options.messageId, timeouts: options.timeouts }),
      (text) => {
        if (live || committed) return emit({ type: 'delta', attempt, text });
        chunks.push(text);
        if (!judging) return;
        opening += text;
        const verdict = openingVerdict(opening);
        // A failed opening is held to the end (a refusal is short), where the gates fail it again.
        if (verdict.kind === 'fail') judging = false;
        if (verdict.kind !== 'commit') return;
        committed = true;
        emit({ type: 'commit', attempt, model: modelId });
        for (const held of chunks.splice(0)) emit({ type: 'delta', attempt, text: held });
      },
      now,
    );
    const usage = reply.usage ?? (reply.text ? estimateUsage(messages, reply.text) : null);
    const record: CascadeAttempt = {
      attempt,
      model: modelId,
      tier,
      startedAt: t0,
      latencyMs: 0,
      firstTokenMs: reply.firstTokenAt === null ? null : reply.firstTokenAt - t0,
      usage,
      costUsd: usage ? answerCostUsd(info, usage.inputTokens, usage.outputTokens) : 0,
      finishReason: reply.finishReason,
      error: reply.error ? serializeError(reply.error) : null,
      gates: [],
      passed: false,
      chars: reply.text.length,
    };
    attempts.push(record);

    if (options.signal?.aborted || reply.error?.code === 'cancelled') {
      record.latencyMs = now() - t0;
      failure = serializeError(new SwitchboardError('cancelled', 'The request was stopped.'));
      if (reply.text) kept = { text: reply.text, model: modelId, attempt: record };
      break;
    }
    let why: string;
    if (reply.error) {
      why = `${modelId} failed: ${reply.error.message}`;
    } else if (reply.toolCalls.length > 0) {
      // A reply that asks for tools is the client's to run: no gate judges it (an empty text is expected).
      record.passed = true;
      toolCalls = reply.toolCalls;
      why = '';
    } else {
      const input = { text: reply.text, finishReason: reply.finishReason, model: modelId, analysis: options.decision.analysis, messages, error: null, signal: options.signal };
      record.gates = await runGates(gates, input);
      for (const result of record.gates) emit({ type: 'gate-result', attempt, model: modelId, result });
      const failed = record.gates.find((g) => !g.passed);
      record.passed = failed === undefined;
      why = failed ? `${modelId}: ${failed.reason}` : '';
    }
    record.latencyMs = now() - t0;
    if (reply.text) kept = { text: reply.text, model: modelId, attempt: record };
    if (record.passed) {
      if (!live && !committed) {
        if (mode === 'stream') emit({ type: 'commit', attempt, model: modelId });
        for (const text of chunks) emit({ type: 'delta', attempt, text });
      }
      break;
    }
    failures.push(why);
    // The client has this attempt's text: it stands, with its gate results on record.
    if (committed) break;
    const next = chain[i + 1];
    if (next !== undefined) emit({ type: 'escalate', attempt, from: modelId, to: next, reason: why });
  }

  const passedAttempt = attempts.find((a) => a.passed);
  if (!passedAttempt && !failure) {
    const last = attempts.at(-1);
    if (last?.error && attempts.every((a) => a.error)) {
      // Every attempt failed outright (no gate judged an answer): the last error is the one to act
      // on — a rejected key, a missing model — with its own code, not a generic quality failure.
      failure = attempts.length === 1 ? last.error : { ...last.error, message: `${last.error.message} (also tried: ${failures.slice(0, -1).join('; ')})` };
    } else {
      const tried = attempts.length === 0 ? 'no model was available' : failures.join('; ');
      failure = serializeError(new SwitchboardError('unavailable', `No answer passed the quality checks (${tried}).`, { retryable: false }));
    }
  }
  const result: CascadeResult = {
    ok: passedAttempt !== undefined,
    text: kept?.text ?? '',
    toolCalls: passedAttempt ? toolCalls : [],
    model: passedAttempt?.model ?? kept?.model ?? null,
    kept: passedAttempt ?? kept?.attempt ?? null,
    attempts,
    escalations: Math.max(0, attempts.length - 1),
    costUsd: attempts.reduce((sum, a) => sum + a.costUsd, 0),
    latencyMs: now() - started,
    failure,
  };
  emit({ type: 'done', result });
  return result;
}

function attemptOptions(o: CascadeOptions, tier: Tier): ChatOptions | undefined {
  if (tier !== 'paid' || o.paidReplyCap === undefined) return o.options;
  return { ...o.options, maxTokens: o.paidReplyCap };
}

/**
 * Seed 002 "Add validation feedback to context": a short system note of what failed before,
 * placed just before the last user message (the history before it stays a cacheable prefix).
 */
export function withEscalationNote(messages: readonly ChatMessage[], failures: readonly string[]): ChatMessage[] {
  const note: ChatMessage = {
    role: 'system',
    content: `An earlier answer to the next message was rejected by an automatic check (${failures.join('; ')}). Answer it in full and avoid that problem.`,
  };
  let lastUser = -1;
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    if (messages[i]?.role === 'user') {
      lastUser = i;
      break;
    }
  }
  if (lastUser === -1) return [...messages, note];
  return [...messages.slice(0, lastUser), note, ...messages.slice(lastUser)];
}
