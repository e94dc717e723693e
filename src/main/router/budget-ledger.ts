import { randomUUID } from 'node:crypto';
import type { BudgetLimits, BudgetPeriod } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import type { Db } from '../store/database';
import type { BudgetLevel, BudgetStatus } from './types';

/** The daily and monthly budgets and thresholds (the router config's `cost`). */
export type { BudgetLimits };

export interface BudgetLedgerOptions {
  /** A database with migration 4 (budget_reservations). */
  db: Db;
  /** Read on every call, so a change in Settings applies at once. */
  limits: () => BudgetLimits;
  /**
   * Spend since an epoch-ms time, from the `calls` table (`CallRecorder.spendSince(ts).costUsd`).
   * Without it, spend is the sum of settled reservations' actual costs.
   */
  spentSince?: (sinceMs: number) => number;
  now?: () => number;
  /** A reservation still held after this long is a crash leftover and is released. Default 2 h. */
  staleAfterMs?: number;
}

export interface Reservation {
  ok: true;
  id: string;
  amountUsd: number;
  createdAt: number;
}

export interface BudgetExceeded {
  ok: false;
  error: SwitchboardError;
  state: BudgetState;
}

/**
 * One period as the ledger keeps it: the contract's BudgetPeriod without `resetsAt`, which
 * `budgetView` (budget-watch.ts) adds for the wire.
 */
export type PeriodState = Omit<BudgetPeriod, 'resetsAt'>;

export interface BudgetState extends BudgetStatus {
  day: PeriodState;
  month: PeriodState;
}

const RANK: Record<BudgetLevel, number> = { ok: 0, warn: 1, 'over-budget': 2, stopped: 3 };
const NO_RESERVATION = 'none';

/**
 * Daily and monthly budgets with warn and stop thresholds (seed 002 `[cost]`: daily 5.00, warn
 * 4.00, stop 6.00; monthly 100/80/120 is ours, see config.ts). A request reserves its worst case
 * (`RouteDecision.maxCostUsd`) before it starts and settles the actual cost after; reservations
 * count as spent, so concurrent requests can never pass the stop threshold together. `reserve` runs
 * in one IMMEDIATE transaction: another process on the same database waits for it.
 */
export class BudgetLedger {
  private readonly now: () => number;
  private readonly staleAfterMs: number;
  private readonly reserveTx: (amount: number, purpose: string | null) => Reservation | BudgetExceeded;
  /** Prepared once: the budget is checked on every request (issue #10's pipeline overhead). */
  private readonly sql;

  constructor(private readonly options: BudgetLedgerOptions) {
    this.now = options.now ?? Date.now;
    const db = options.db;
    this.sql = {
      insertFree: db.prepare(`INSERT INTO budget_reservations (id, created_at, amount_usd, status, actual_usd, closed_at) VALUES (?, ?, 0, 'settled', ?, ?)`),
      settle: db.prepare(`UPDATE budget_reservations SET status = 'settled', actual_usd = ?, closed_at = ? WHERE id = ? AND status = 'held'`),
      release: db.prepare(`UPDATE budget_reservations SET status = 'released', closed_at = ? WHERE id = ? AND status = 'held'`),
      hold: db.prepare(`INSERT INTO budget_reservations (id, created_at, amount_usd, status, purpose) VALUES (?, ?, ?, 'held', ?)`),
      held: db.prepare(`SELECT COALESCE(SUM(amount_usd), 0) AS held FROM budget_reservations WHERE status = 'held'`),
      settledSince: db.prepare(`SELECT COALESCE(SUM(actual_usd), 0) AS spent FROM budget_reservations WHERE status = 'settled' AND closed_at >= ?`),
      releaseStale: db.prepare(`UPDATE budget_reservations SET status = 'released', closed_at = ? WHERE status = 'held' AND created_at < ?`),
    };
    this.staleAfterMs = options.staleAfterMs ?? 2 * 60 * 60_000;
    const tx = options.db.transaction((amount: number, purpose: string | null) => this.reserveNow(amount, purpose));
    this.reserveTx = (amount, purpose) => tx.immediate(amount, purpose);
    this.releaseStale();
  }

  /** Holds `estimatedMaxUsd` when day and month stay at or under their stop thresholds. Free requests (0) always pass. */
  reserve(estimatedMaxUsd: number, purpose?: string): Reservation | BudgetExceeded {
    const amount = Number.isFinite(estimatedMaxUsd) ? Math.max(0, estimatedMaxUsd) : 0;
    if (amount === 0) return { ok: true, id: NO_RESERVATION, amountUsd: 0, createdAt: this.now() };
    return this.reserveTx(amount, purpose ?? null);
  }

  /** Closes the reservation with what the request really cost (kept as spend when there is no calls table). */
  settle(reservation: Reservation, actualUsd: number): void {
    const actual = Math.max(0, actualUsd);
    const at = this.now();
    if (reservation.id === NO_RESERVATION) {
      // A request reserved as free that cost money anyway (a tier override): keep the spend.
      if (actual > 0) {
        this.sql.insertFree.run(randomUUID(), at, actual, at);
      }
      return;
    }
    this.sql.settle.run(actual, at, reservation.id);
  }

  /** The request never ran (or was refused): give the money back. */
  release(reservation: Reservation): void {
    if (reservation.id === NO_RESERVATION) return;
    this.sql.release.run(this.now(), reservation.id);
  }

  state(): BudgetState {
    const now = this.now();
    const limits = this.options.limits();
    const held = this.heldUsd();
    const daySince = startOfDay(now);
    const monthSince = startOfMonth(now);
    const day = period(daySince, this.spent(daySince), held, limits.dailyBudgetUsd, limits.warnThresholdUsd, limits.stopThresholdUsd);
    const month = period(monthSince, this.spent(monthSince), held, limits.monthlyBudgetUsd, limits.monthlyWarnUsd, limits.monthlyStopUsd);
    const worst = RANK[month.level] > RANK[day.level] ? { p: month, name: 'This month' } : { p: day, name: 'Today' };
    return { level: worst.p.level, message: describe(worst.name, worst.p), day, month };
  }

  private reserveNow(amount: number, purpose: string | null): Reservation | BudgetExceeded {
    this.releaseStale();
    const state = this.state();
    for (const [name, p] of [['daily', state.day], ['monthly', state.month]] as const) {
      const total = p.spentUsd + p.heldUsd + amount;
      // A cent of float noise must not refuse a request that lands exactly on the threshold.
      if (total > p.stopUsd + 1e-9) {
        const message =
          `This request could cost up to $${amount.toFixed(2)}, which would take ${name} spend to $${total.toFixed(2)}, ` +
          `past the ${name} stop threshold of $${p.stopUsd.toFixed(2)} ($${p.spentUsd.toFixed(2)} spent, $${p.heldUsd.toFixed(2)} held by running requests). ` +
          'Use a local model, wait for the budget to reset, or raise it in Settings.';
        return {
          ok: false,
          error: new SwitchboardError('budget_exceeded', message, { retryable: false, details: { period: name, amountUsd: amount, spentUsd: p.spentUsd, heldUsd: p.heldUsd, stopUsd: p.stopUsd } }),
          state,
        };
      }
    }
    const id = randomUUID();
    const createdAt = this.now();
    this.sql.hold.run(id, createdAt, amount, purpose);
    return { ok: true, id, amountUsd: amount, createdAt };
  }

  private heldUsd(): number {
    const row = this.sql.held.get() as { held: number };
    return row.held;
  }

  private spent(since: number): number {
    if (this.options.spentSince) return this.options.spentSince(since);
    const row = this.sql.settledSince.get(since) as { spent: number };
    return row.spent;
  }

  private releaseStale(): void {
    const cutoff = this.now() - this.staleAfterMs;
    this.sql.releaseStale.run(this.now(), cutoff);
  }
}

function period(since: number, spentUsd: number, heldUsd: number, budgetUsd: number, warnUsd: number, stopUsd: number): PeriodState {
  const total = spentUsd + heldUsd;
  const level: BudgetLevel = total >= stopUsd ? 'stopped' : total >= budgetUsd ? 'over-budget' : total >= warnUsd ? 'warn' : 'ok';
  return { since, spentUsd, heldUsd, budgetUsd, warnUsd, stopUsd, level };
}

function describe(name: string, p: PeriodState): string {
  const spend = `${name}'s spend $${(p.spentUsd + p.heldUsd).toFixed(2)}${p.heldUsd > 0 ? ` (including $${p.heldUsd.toFixed(2)} held by running requests)` : ''}`;
  switch (p.level) {
    case 'stopped':
      return `${spend} reached the stop threshold $${p.stopUsd.toFixed(2)}.`;
    case 'over-budget':
      return `${spend} is over the budget $${p.budgetUsd.toFixed(2)}: local and free models go first.`;
    case 'warn':
      return `${spend} passed the warning threshold $${p.warnUsd.toFixed(2)} (budget $${p.budgetUsd.toFixed(2)}).`;
    default:
      return `${spend} of $${p.budgetUsd.toFixed(2)}.`;
  }
}

/** Local midnight: budgets follow the user's day, not UTC's. */
export function startOfDay(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

export function startOfMonth(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
}
