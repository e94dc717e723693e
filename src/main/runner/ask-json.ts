import type { z } from 'zod';
import type { CallPurpose } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import type { ChatMessage, Usage } from './chat-provider';
import { addUsage, callOnce, type CallProgress } from './call-once';
import { extractJson, toJsonSchema, zodIssues } from './extract-json';
import type { ModelRunner } from './model-runner';

export interface AskJsonOptions<T> {
  runner: ModelRunner;
  model: string;
  messages: readonly ChatMessage[];
  schema: z.ZodType<T>;
  /** Checks zod cannot express (a ranking is a permutation of the labels shown …): error messages. */
  check?: (value: T) => string[];
  /** Sent to the provider as structured output; default: the zod schema as JSON Schema. */
  jsonSchema?: Record<string, unknown>;
  purpose: CallPurpose;
  signal?: AbortSignal;
  /**
   * One deadline for the whole ask, retry included. When it passes the call is aborted and the
   * answer is `timeout` at once, even if the model does not acknowledge the abort.
   */
  timeoutMs?: number;
  /** Invalid replies sent back with their errors before giving up (default 1: one retry, issue #10). */
  retries?: number;
  temperature?: number;
  maxTokens?: number;
  /** Live text of the attempt in flight (reset at each attempt) and the first token's time. */
  progress?: CallProgress;
  now?: () => number;
  /** Starts the deadline's timer and returns its cancel (a test's clock); default `setTimeout`. */
  setTimer?: SetTimer;
}

export type SetTimer = (fn: () => void, ms: number) => () => void;

const realTimer: SetTimer = (fn, ms) => {
  const timer = setTimeout(fn, Math.max(0, ms));
  return () => clearTimeout(timer);
};

interface AskJsonCommon {
  /** The last attempt's reply (as far as it got, when cut off). */
  text: string;
  /** Summed over the attempts that reported usage. */
  usage: Usage | null;
  attempts: number;
  firstTokenAt: number | null;
  /** The model that actually answered: differs from `model` when the runner fell back. */
  servedBy: string;
}

export type AskJsonResult<T> =
  | (AskJsonCommon & { ok: true; value: T })
  | (AskJsonCommon & { ok: false; reason: 'invalid'; errors: string[] })
  | (AskJsonCommon & { ok: false; reason: 'error' | 'timeout'; errors: string[]; error: SwitchboardError });

type StopReason = 'timeout' | 'cancelled';

/**
 * Asks a model for JSON: validates the reply with zod (and `check`) and sends an invalid reply back
 * once with what was wrong. Never throws: a caller's abort is an `error` with code `cancelled`.
 * Stream errors are not retried here: the runner's reliability layer did that.
 */
export async function askJson<T>(o: AskJsonOptions<T>): Promise<AskJsonResult<T>> {
  const jsonSchema = o.jsonSchema ?? toJsonSchema(o.schema);
  const retries = o.retries ?? 1;
  const progress = o.progress ?? { text: '', firstTokenAt: null };
  const messages = [...o.messages];
  const stop = stopSwitch(o.signal, o.timeoutMs, o.setTimer ?? realTimer);
  let usage: Usage | null = null;
  let servedBy = o.model;
  try {
    for (let attempt = 1; ; attempt++) {
      progress.text = '';
      const common = (text: string): AskJsonCommon => ({ text, usage, attempts: attempt, firstTokenAt: progress.firstTokenAt, servedBy });
      const stopped = (why: StopReason): AskJsonResult<T> => {
        const error =
          why === 'timeout'
            ? new SwitchboardError('timeout', `${o.model} gave no answer within ${o.timeoutMs ?? 0} ms.`)
            : new SwitchboardError('cancelled', 'The request was stopped.');
        return { ...common(progress.text), ok: false, reason: why === 'timeout' ? 'timeout' : 'error', errors: [error.message], error };
      };
      const before = stop.why();
      if (before) return stopped(before);
      const reply = await Promise.race([
        callOnce({
          runner: o.runner,
          model: o.model,
          messages,
          options: { jsonSchema, temperature: o.temperature, maxTokens: o.maxTokens },
          signal: stop.signal,
          purpose: o.purpose,
          progress,
          now: o.now,
        }),
        stop.stopped,
      ]);
      const why = stop.why();
      // A reply that failed because we stopped it is reported as the stop, not as its echo.
      if (typeof reply === 'string') return stopped(reply);
      if (why && reply.error) return stopped(why);
      usage = addUsage(usage, reply.usage);
      servedBy = reply.servedBy;
      if (reply.error) return { ...common(reply.text), ok: false, reason: 'error', errors: [reply.error.message], error: reply.error };
      const result = validate(reply.text, o.schema, o.check);
      if ('value' in result) return { ...common(reply.text), ok: true, value: result.value };
      if (attempt > retries) return { ...common(reply.text), ok: false, reason: 'invalid', errors: result.errors };
      messages.push(
        { role: 'assistant', content: reply.text },
        {
          role: 'user',
          content: `Your reply could not be used:\n${result.errors.map((e) => `- ${e}`).join('\n')}\nReply again with only the corrected JSON object, nothing else.`,
        },
      );
    }
  } finally {
    stop.dispose();
  }
}

function validate<T>(text: string, schema: z.ZodType<T>, check?: (value: T) => string[]): { value: T } | { errors: string[] } {
  let raw: unknown;
  try {
    raw = extractJson(text);
  } catch {
    return { errors: ['The reply is not a JSON object.'] };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { errors: zodIssues(parsed.error) };
  const errors = check?.(parsed.data) ?? [];
  return errors.length ? { errors } : { value: parsed.data };
}

interface StopSwitch {
  /** Reaches the HTTP request: aborted on the caller's abort or at the deadline. */
  signal: AbortSignal;
  /** Settles with the reason the moment either happens. */
  stopped: Promise<StopReason>;
  why(): StopReason | null;
  dispose(): void;
}

function stopSwitch(caller: AbortSignal | undefined, timeoutMs: number | undefined, setTimer: SetTimer): StopSwitch {
  const controller = new AbortController();
  let why: StopReason | null = null;
  let settle!: (reason: StopReason) => void;
  const stopped = new Promise<StopReason>((resolve) => (settle = resolve));
  const stop = (reason: StopReason): void => {
    if (why) return;
    why = reason;
    settle(reason);
    controller.abort(reason === 'timeout' ? new DOMException('The JSON reply timed out.', 'TimeoutError') : caller?.reason);
  };
  const onAbort = (): void => stop('cancelled');
  const cancelTimer = timeoutMs === undefined ? undefined : setTimer(() => stop('timeout'), timeoutMs);
  if (caller?.aborted) stop('cancelled');
  else caller?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    stopped,
    why: () => why,
    dispose: () => {
      cancelTimer?.();
      caller?.removeEventListener('abort', onAbort);
    },
  };
}
