import { SwitchboardError } from '../../shared/errors';
import type { ChatProvider, ChatRequest, FinishReason, StreamPart, Usage } from '../runner/chat-provider';
import type { Clock } from './clock';
import { formatWait } from '../providers/http-errors';
import type { TimeoutPolicy } from './timeouts';

export interface AttemptResult {
  status: 'ok' | 'error' | 'cancelled';
  error: SwitchboardError | null;
  /** The text that reached the caller. */
  text: string;
  /** As the provider reported it; null when it reported none. */
  usage: Usage | null;
  finish: FinishReason | null;
  startedAt: number;
  firstTokenAt: number | null;
  endedAt: number;
}

type Phase = 'connect' | 'first-token' | 'streaming';
const TIMEOUT = Symbol('timeout');
const ABORTED = Symbol('aborted');

/**
 * One HTTP attempt under the timeout policy. Yields only text deltas (live, as they come); usage,
 * finish and errors come back in the result, for the caller to judge. A phase that overruns
 * aborts the attempt's own AbortController, which reaches the HTTP request, and ends as `timeout`.
 * The caller's signal aborts it too, ending as `cancelled`.
 */
export async function* timedAttempt(
  provider: ChatProvider,
  request: ChatRequest,
  policy: TimeoutPolicy,
  clock: Clock,
  label: string,
): AsyncGenerator<StreamPart, AttemptResult> {
  const parent = request.signal;
  const controller = new AbortController();
  const onParentAbort = (): void => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onParentAbort, { once: true });
  if (parent?.aborted) controller.abort(parent.reason);
  // One listener for the whole attempt: it wakes whichever wait is pending.
  let wake: ((value: typeof ABORTED) => void) | null = null;
  controller.signal.addEventListener('abort', () => wake?.(ABORTED), { once: true });
  const race = <T>(next: Promise<T>, ms: number): Promise<T | typeof TIMEOUT | typeof ABORTED> => {
    if (controller.signal.aborted) return Promise.resolve(ABORTED);
    return new Promise((resolve, reject) => {
      const cancel = clock.setTimer(() => resolve(TIMEOUT), ms);
      wake = (value) => {
        cancel();
        resolve(value);
      };
      next.then(
        (value) => {
          cancel();
          resolve(value);
        },
        (error: unknown) => {
          cancel();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  };

  const startedAt = clock.now();
  const result: AttemptResult = { status: 'ok', error: null, text: '', usage: null, finish: null, startedAt, firstTokenAt: null, endedAt: startedAt };
  let phase: Phase = 'connect';
  let lastPartAt = startedAt;
  let timedOut: SwitchboardError | null = null;
  let exhausted = false;
  let iterator: AsyncIterator<StreamPart>;
  try {
    iterator = provider.streamChat({ ...request, signal: controller.signal })[Symbol.asyncIterator]();
  } catch (error) {
    // A provider that throws before streaming (synchronously) fails like one that throws later.
    iterator = { next: () => Promise.reject(error instanceof Error ? error : new Error(String(error))) };
  }

  try {
    for (;;) {
      const { at, why } = deadline(phase, startedAt, lastPartAt, policy);
      const next = iterator.next();
      let winner: IteratorResult<StreamPart> | typeof TIMEOUT | typeof ABORTED;
      try {
        winner = await race(next, at - clock.now());
      } catch (error) {
        // Providers report errors as parts; one that throws anyway still ends as an error, not a crash.
        result.error = error instanceof SwitchboardError ? error : new SwitchboardError('internal', `${label} failed: ${error instanceof Error ? error.message : String(error)}`);
        break;
      }
      if (winner === TIMEOUT || winner === ABORTED) {
        if (winner === TIMEOUT) {
          timedOut = timeoutError(label, why, policy);
          controller.abort(timedOut);
        }
        // The provider sees the abort and ends; nobody waits for it, but nothing may go unhandled.
        next.catch(() => undefined);
        break;
      }
      if (winner.done) {
        exhausted = true;
        break;
      }
      const part = winner.value;
      lastPartAt = clock.now();
      if (part.type === 'text-delta') {
        if (result.firstTokenAt === null) result.firstTokenAt = lastPartAt;
        phase = 'streaming';
        result.text += part.text;
        yield part;
      } else if (part.type === 'tool-call') {
        // Assembled by the provider, after the text and before the finish (issue #15). Once the caller
        // has it, the attempt has delivered output: a later failure is not retried (no repeated call).
        if (result.firstTokenAt === null) result.firstTokenAt = lastPartAt;
        phase = 'streaming';
        yield part;
      } else if (part.type === 'usage') {
        result.usage = part.usage;
      } else if (part.type === 'finish') {
        result.finish = part.reason;
      } else if (part.type === 'error') {
        result.error = part.error;
        break;
      }
      // Any part ends the connect phase; `stream-start` is the providers' explicit "headers are in".
      if (phase === 'connect') phase = 'first-token';
    }
  } finally {
    parent?.removeEventListener('abort', onParentAbort);
    // Left early (an error part, a timeout, or our own consumer stopped reading): the HTTP request
    // must not outlive the attempt, and the provider's own cleanup must run.
    if (!exhausted) {
      controller.abort(timedOut ?? undefined);
      void Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
  }
  result.endedAt = clock.now();

  if (timedOut) {
    result.status = 'error';
    result.error = timedOut;
  } else if (parent?.aborted || result.error?.code === 'cancelled') {
    result.status = 'cancelled';
    result.error = result.error?.code === 'cancelled' ? result.error : new SwitchboardError('cancelled', 'Stopped by you.');
  } else if (result.error) {
    result.status = 'error';
  } else if (result.finish === null) {
    result.status = 'error';
    result.error = new SwitchboardError('network', `${label} ended the reply without finishing it.`);
  }
  return result;
}

function deadline(phase: Phase, startedAt: number, lastPartAt: number, p: TimeoutPolicy): { at: number; why: Phase | 'total' } {
  const total = startedAt + p.totalMs;
  const phaseAt =
    phase === 'connect' ? startedAt + Math.min(p.connectMs, p.firstTokenMs) : phase === 'first-token' ? startedAt + p.firstTokenMs : lastPartAt + p.idleMs;
  return phaseAt < total ? { at: phaseAt, why: phase } : { at: total, why: 'total' };
}

/**
 * A connect timeout is a dead connection: worth one more try. A model that does not start or does
 * not finish in time is slow, not broken, so the same model is not asked again; the next candidate is.
 */
function timeoutError(label: string, why: Phase | 'total', p: TimeoutPolicy): SwitchboardError {
  const details = { phase: why, model: label };
  switch (why) {
    case 'connect':
      return new SwitchboardError('timeout', `${label} did not answer within ${formatWait(p.connectMs)}; the request was stopped.`, { details, retryable: true });
    case 'first-token':
      return new SwitchboardError('timeout', `${label} did not start replying within ${formatWait(p.firstTokenMs)}; the request was stopped.`, { details, retryable: false });
    case 'streaming':
      return new SwitchboardError('timeout', `${label} stalled: nothing arrived for ${formatWait(p.idleMs)}, so the request was stopped.`, { details, retryable: false });
    default:
      return new SwitchboardError('timeout', `${label} did not finish within ${formatWait(p.totalMs)}; the request was stopped.`, { details, retryable: false });
  }
}
