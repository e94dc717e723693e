import type { Db } from '../store/database';
import { CallRollups } from './call-rollups';

/** The periods asked at once (today and this month); a third start evicts the oldest. */
const MAX_PERIODS = 4;

interface Running {
  costUsd: number;
  /** The newest `calls` rowid already in `costUsd`. */
  lastRowid: number;
}

/**
 * Spend since a period start (local midnight, the first of the month), kept running: the first
 * question for a period sums the rollups once (migration 9: quarter hours, not calls), every later
 * one adds only the rows written since
 * (`rowid > last`, a range seek on the table's own key). So the budget check every request makes
 * costs the same with 100 calls in the log as with 100,000 (issue #10's pipeline overhead; issue
 * #17 measured the full `SUM` growing to 201 ms per request at 100k calls). Rows written by another
 * process on the same database (the CLI beside the app) are picked up the same way. Calls rows are
 * never updated or deleted, which is what makes adding up safe.
 */
export class SpendTotals {
  private readonly periods = new Map<number, Running>();
  private readonly rollups: CallRollups;
  private readonly since;

  constructor(db: Db) {
    this.rollups = new CallRollups(db);
    // `+started_at`: without the plus SQLite picks the started_at index and scans the whole period
    // (10k rows a month for a heavy user) instead of seeking the few new rowids.
    this.since = db.prepare(`SELECT COALESCE(SUM(cost_usd), 0) AS costUsd, MAX(rowid) AS lastRowid FROM calls WHERE rowid > ? AND +started_at >= ?`);
  }

  /** USD of every call that started at or after `sinceMs`. */
  costSince(sinceMs: number): number {
    const running = this.periods.get(sinceMs);
    if (!running) {
      const row = this.rollups.costSince(sinceMs);
      if (this.periods.size >= MAX_PERIODS) this.periods.delete(this.periods.keys().next().value as number);
      this.periods.set(sinceMs, { costUsd: row.costUsd, lastRowid: row.lastRowid });
      return row.costUsd;
    }
    const added = this.since.get(running.lastRowid, sinceMs) as { costUsd: number; lastRowid: number | null };
    if (added.lastRowid !== null) {
      running.costUsd += added.costUsd;
      running.lastRowid = added.lastRowid;
    }
    return running.costUsd;
  }
}
