/**
 * How a bounded run ended: `done` (the work returned), `cut-off` (we stopped waiting because we
 * had enough), `timeout` (its per-model budget ran out) or `cancelled` (the caller's signal).
 */
export type BoundedStatus = 'done' | 'cut-off' | 'timeout' | 'cancelled';

export interface Bounded<T> {
  status: BoundedStatus;
  value: T | null;
  startedAt: number;
  endedAt: number;
}

export interface BoundedRun<T> {
  readonly promise: Promise<Bounded<T>>;
  /** Abort the work and settle as `cut-off` at once (no-op once settled). */
  cutOff(): void;
  readonly settled: boolean;
}

export interface StartBoundedOptions<T> {
  timeoutMs: number;
  signal?: AbortSignal;
  now?: () => number;
  /** The work. Its own AbortController's signal reaches the HTTP request; it should not reject. */
  run: (signal: AbortSignal) => Promise<T>;
}

/**
 * Runs `run` with its own AbortController, a timeout and a cut-off switch. The outcome settles the
 * moment the deadline passes, the caller cancels or `cutOff()` is called: we never wait for a
 * straggler to acknowledge its abort (a runner that ignores the signal cannot hold up a council).
 */
export function startBounded<T>(o: StartBoundedOptions<T>): BoundedRun<T> {
  const now = o.now ?? Date.now;
  const controller = new AbortController();
  const startedAt = now();
  let settled = false;
  let resolveOutcome!: (outcome: Bounded<T>) => void;
  let rejectOutcome!: (error: unknown) => void;
  const promise = new Promise<Bounded<T>>((resolve, reject) => {
    resolveOutcome = resolve;
    rejectOutcome = reject;
  });

  const cleanup = (): void => {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onCallerAbort);
  };
  const settle = (status: BoundedStatus, value: T | null): void => {
    if (settled) return;
    settled = true;
    cleanup();
    resolveOutcome({ status, value, startedAt, endedAt: now() });
  };
  const stop = (status: Exclude<BoundedStatus, 'done'>): void => {
    if (settled) return;
    settle(status, null);
    controller.abort(new DOMException(`stopped: ${status}`, 'AbortError'));
  };
  const onCallerAbort = (): void => stop('cancelled');
  const timer = setTimeout(() => stop('timeout'), Math.max(0, o.timeoutMs));

  if (o.signal?.aborted) stop('cancelled');
  else {
    o.signal?.addEventListener('abort', onCallerAbort, { once: true });
    o.run(controller.signal).then(
      (value) => settle('done', value),
      (error: unknown) => {
        // After a stop, the work's rejection is the expected echo of our own abort.
        if (settled) return;
        settled = true;
        cleanup();
        rejectOutcome(error);
      },
    );
  }

  return {
    promise,
    cutOff: () => stop('cut-off'),
    get settled() {
      return settled;
    },
  };
}
