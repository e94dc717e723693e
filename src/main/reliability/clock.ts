import { SwitchboardError } from '../../shared/errors';

/**
 * Time as the reliability layer sees it. Injected so tests can read a controlled `now` (breaker
 * windows, cooldowns) and record backoff sleeps instead of waiting them out.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with a `cancelled` error as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fn` after `ms` unless the returned function is called first. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepFor(ms, signal),
  setTimer(fn, ms) {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};

/**
 * At least `ms` of wall-clock time: libuv may fire a timer up to a loop iteration early against
 * Date.now(), and a Retry-After is a promise to the server, so a short remainder is slept again.
 */
function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(cancelled());
  if (ms <= 0) return Promise.resolve();
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout;
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const wait = (left: number): void => {
      timer = setTimeout(() => {
        const rest = until - Date.now();
        if (rest > 0) return wait(rest);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, left);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    wait(ms);
  });
}

export function cancelled(): SwitchboardError {
  return new SwitchboardError('cancelled', 'The request was stopped.');
}
