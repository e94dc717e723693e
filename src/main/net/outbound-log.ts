import type { OutboundEntry } from '../../shared/contract';
import type { Logger } from '../logger';
import type { Db } from '../store/database';
import type { WriteBehind } from '../store/write-behind';

/** One outbound HTTP attempt, allowed or refused: the contract's OutboundEntry (`network.log`), its one definition. */
export type { OutboundEntry };

export interface OutboundSink {
  write(entry: OutboundEntry): void;
}

export interface OutboundLogOptions {
  /** Entries kept in memory (Settings shows the newest). Default 500. */
  capacity?: number;
  /** Where entries are also persisted (SqliteOutboundSink). */
  sink?: OutboundSink;
  logger?: Logger;
}

/** Every outbound attempt: a ring buffer in memory, optionally persisted, with live listeners. */
export class OutboundLog {
  private readonly ring: OutboundEntry[];
  private next = 0;
  private size = 0;
  private readonly listeners = new Set<(entry: OutboundEntry) => void>();

  constructor(private readonly options: OutboundLogOptions = {}) {
    this.ring = new Array<OutboundEntry>(Math.max(1, options.capacity ?? 500));
  }

  record(entry: OutboundEntry): void {
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.ring.length;
    this.size = Math.min(this.size + 1, this.ring.length);
    try {
      this.options.sink?.write(entry);
    } catch (error) {
      // The log must never block a request: say so and carry on.
      this.options.logger?.warn('an outbound log entry could not be persisted', { error, host: entry.host });
    }
    for (const listener of this.listeners) {
      try {
        listener(entry);
      } catch (error) {
        this.options.logger?.warn('an outbound log listener failed', { error });
      }
    }
  }

  /** Newest first. */
  recent(limit = this.ring.length): OutboundEntry[] {
    const out: OutboundEntry[] = [];
    for (let i = 1; i <= Math.min(limit, this.size); i += 1) {
      const entry = this.ring[(this.next - i + this.ring.length) % this.ring.length];
      if (entry) out.push(entry);
    }
    return out;
  }

  subscribe(listener: (entry: OutboundEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Rows in `outbound_requests` (migration 4), pruned to the newest `keepRows`. */
export class SqliteOutboundSink implements OutboundSink {
  private readonly insert;
  private readonly prune;
  private writes = 0;

  constructor(
    private readonly db: Db,
    private readonly keepRows = 10_000,
    /** Defers the insert off the request's path (issue #17); `list` flushes first. */
    private readonly deferred?: WriteBehind,
  ) {
    this.insert = db.prepare(`INSERT INTO outbound_requests (at, method, host, url, purpose, allowed, reason) VALUES (@at, @method, @host, @url, @purpose, @allowed, @reason)`);
    this.prune = db.prepare(`DELETE FROM outbound_requests WHERE id <= (SELECT MAX(id) FROM outbound_requests) - ?`);
  }

  write(entry: OutboundEntry): void {
    if (this.deferred) this.deferred.defer(() => this.persist(entry));
    else this.persist(entry);
  }

  private persist(entry: OutboundEntry): void {
    this.insert.run({ ...entry, allowed: entry.allowed ? 1 : 0 });
    // Pruning every 100th write keeps the insert cheap and the table bounded.
    this.writes += 1;
    if (this.writes % 100 === 0) this.prune.run(this.keepRows);
  }

  list(limit = 200): OutboundEntry[] {
    this.deferred?.flush();
    const rows = this.db
      .prepare(`SELECT at, method, host, url, purpose, allowed, reason FROM outbound_requests ORDER BY id DESC LIMIT ?`)
      .all(limit) as Array<Omit<OutboundEntry, 'allowed'> & { allowed: number }>;
    return rows.map((r) => ({ ...r, allowed: r.allowed === 1 }));
  }
}
