import type { Logger } from '../logger';
import type { Db } from './database';

/**
 * Writes that no answer waits for — route decision records, the outbound log — queued and written
 * together in one transaction a few milliseconds later, off the response path (issue #17: each
 * commit was a WAL write inside the request). Readers of those tables call `flush()` first, so they
 * always see every write made before they asked. Money is never deferred: budget reservations,
 * their settlement and the call log (which the budget sums) stay synchronous.
 * A hard kill can lose the last `delayMs` of deferred writes; `dispose()` (a normal quit) writes them.
 */
export class WriteBehind {
  private queue: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly logger?: Logger,
    private readonly delayMs = 20,
    private readonly maxQueued = 256,
  ) {}

  defer(write: () => void): void {
    this.queue.push(write);
    if (this.queue.length >= this.maxQueued) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.delayMs);
      this.timer.unref();
    }
  }

  /** Writes everything queued now, in one transaction. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue.splice(0);
    if (batch.length === 0 || !this.db.open) return;
    try {
      this.db.transaction(() => {
        for (const write of batch) write();
      })();
    } catch (error) {
      // One bad row must not cost the others theirs: write them one by one.
      this.logger?.warn('a batch of deferred writes failed; writing them one by one', { error, writes: batch.length });
      for (const write of batch) {
        try {
          write();
        } catch (single) {
          this.logger?.warn('a deferred write failed', { error: single });
        }
      }
    }
  }

  dispose(): void {
    this.flush();
  }
}

