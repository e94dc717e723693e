import { cancelled } from './clock';

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * A counting semaphore with a FIFO queue: requests start in the order they asked, so a burst of
 * council calls cannot starve a chat reply that queued first. An aborted waiter leaves the queue.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private peak = 0;
  private readonly queue: Waiter[] = [];

  constructor(private limit: number) {
    if (!(limit >= 1)) throw new RangeError('concurrency limit must be at least 1');
  }

  /** Resolves with a release function once a slot is free. Call it exactly once. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (this.active < this.limit && this.queue.length === 0) return Promise.resolve(this.take());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          reject(cancelled());
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
    });
  }

  setLimit(limit: number): void {
    if (!(limit >= 1)) throw new RangeError('concurrency limit must be at least 1');
    this.limit = limit;
    this.drain();
  }

  stats(): { active: number; queued: number; limit: number; peak: number } {
    return { active: this.active, queued: this.queue.length, limit: this.limit, peak: this.peak };
  }

  private take(): () => void {
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.drain();
    };
  }

  private drain(): void {
    while (this.active < this.limit && this.queue.length > 0) {
      const waiter = this.queue.shift()!;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(this.take());
    }
  }
}

/** Default slots per provider: seed 000 puts most cloud keys at 5 concurrent requests. */
export const DEFAULT_CLOUD_CONCURRENCY = 5;
/**
 * One Ollama host serves a few requests at once (OLLAMA_NUM_PARALLEL) and queues the rest itself;
 * two keeps one request generating and one ready without thrashing a single GPU's memory.
 */
export const DEFAULT_LOCAL_CONCURRENCY = 2;

/** One limiter per provider id (one cloud key, one Ollama host). */
export class ProviderLimiters {
  private readonly limiters = new Map<string, ConcurrencyLimiter>();

  /** `overrides`: slots per provider id from Settings, beating the defaults. */
  constructor(private readonly overrides: Record<string, number> = {}) {}

  /** The provider's limiter; `defaultLimit` applies when Settings name none (by tier: cloud or local). */
  for(providerId: string, defaultLimit: number): ConcurrencyLimiter {
    let limiter = this.limiters.get(providerId);
    if (!limiter) {
      limiter = new ConcurrencyLimiter(this.overrides[providerId] ?? defaultLimit);
      this.limiters.set(providerId, limiter);
    }
    return limiter;
  }

  /** Applies a new limit from Settings at once (queued requests start if it grew). */
  setLimit(providerId: string, limit: number): void {
    this.overrides[providerId] = limit;
    this.limiters.get(providerId)?.setLimit(limit);
  }

  stats(): Record<string, ReturnType<ConcurrencyLimiter['stats']>> {
    return Object.fromEntries([...this.limiters].map(([id, l]) => [id, l.stats()]));
  }
}
