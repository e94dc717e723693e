import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/database';
import { MIGRATIONS } from '../store/migrations';
import { BudgetLedger, type BudgetLimits, type Reservation } from './budget-ledger';
import { DEFAULT_ROUTER_CONFIG } from './config';

let db: Db;
afterEach(() => db?.close());

const LIMITS: BudgetLimits = DEFAULT_ROUTER_CONFIG.cost;
const NOON = new Date(2026, 0, 15, 12, 0, 0).getTime();

function ledger(options: { spentSince?: (since: number) => number; now?: () => number; limits?: Partial<BudgetLimits>; staleAfterMs?: number } = {}) {
  db = openDatabase(':memory:', { migrations: MIGRATIONS });
  return new BudgetLedger({ db, limits: () => ({ ...LIMITS, ...options.limits }), now: options.now ?? (() => NOON), spentSince: options.spentSince, staleAfterMs: options.staleAfterMs });
}

function reserved(result: ReturnType<BudgetLedger['reserve']>): Reservation {
  if (!result.ok) throw result.error;
  return result;
}

/** Lets other tasks run between steps, as awaiting a model would. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('BudgetLedger (seed 002: daily 5.00, warn 4.00, stop 6.00)', () => {
  it('moves through ok, warn, over-budget and stopped as spend settles', () => {
    const l = ledger();
    expect(l.state().level).toBe('ok');
    l.settle(reserved(l.reserve(4.1)), 4.1);
    expect(l.state()).toMatchObject({ level: 'warn', message: expect.stringMatching(/passed the warning threshold \$4\.00/) });
    l.settle(reserved(l.reserve(1)), 1);
    expect(l.state()).toMatchObject({ level: 'over-budget', message: expect.stringMatching(/over the budget \$5\.00/) });
    l.settle(reserved(l.reserve(0.9)), 0.9);
    expect(l.state()).toMatchObject({ level: 'stopped', message: "Today's spend $6.00 reached the stop threshold $6.00." });
    expect(l.state().day).toMatchObject({ spentUsd: 6, heldUsd: 0, budgetUsd: 5, warnUsd: 4, stopUsd: 6 });
  });

  it('counts held reservations as spent until settled or released', () => {
    const l = ledger();
    const r = reserved(l.reserve(4.5));
    expect(l.state().day).toMatchObject({ spentUsd: 0, heldUsd: 4.5, level: 'warn' });
    l.release(r);
    expect(l.state().day).toMatchObject({ spentUsd: 0, heldUsd: 0, level: 'ok' });
  });

  it('refuses a reservation that would pass the stop threshold, saying what to do', () => {
    const l = ledger();
    l.settle(reserved(l.reserve(5.5)), 5.5);
    const refused = l.reserve(0.6);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('budget_exceeded');
    expect(refused.error.message).toMatch(/daily stop threshold of \$6\.00.*Use a local model/);
    expect(l.reserve(0.5).ok).toBe(true);
  });

  it('20 concurrent requests never take spend past the stop threshold', async () => {
    const l = ledger();
    let peak = 0;
    const watch = () => {
      const { day } = l.state();
      peak = Math.max(peak, day.spentUsd + day.heldUsd);
    };
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await tick();
        const r = l.reserve(0.5);
        watch();
        if (!r.ok) return 'refused';
        for (let k = 0; k <= i % 3; k += 1) await tick(); // uneven model latencies
        l.settle(r, 0.5 - (i % 4) * 0.1); // the worst case is rarely the actual
        watch();
        return 'ran';
      }),
    );
    expect(outcomes.filter((o) => o === 'ran')).toHaveLength(12); // 12 × $0.50 = the $6.00 stop
    expect(peak).toBeLessThanOrEqual(LIMITS.stopThresholdUsd + 1e-9);
    expect(l.state().day.spentUsd).toBeLessThanOrEqual(LIMITS.stopThresholdUsd);
  });

  it('reads spend from the calls table when given spentSince, and holds all the same', async () => {
    let callsTable = 5.0;
    const l = ledger({ spentSince: () => callsTable });
    const results = await Promise.all(
      Array.from({ length: 20 }, async () => {
        await tick();
        const r = l.reserve(0.25);
        if (!r.ok) return false;
        await tick();
        callsTable += 0.25; // the reliability layer records the call…
        l.settle(r, 0.25); // …then the request settles
        return true;
      }),
    );
    expect(results.filter(Boolean)).toHaveLength(4);
    expect(callsTable).toBeLessThanOrEqual(6);
    expect(l.state().day.heldUsd).toBe(0);
  });

  it('applies the monthly stop (100/80/120) as well', () => {
    const l = ledger({ spentSince: (since) => (since < new Date(2026, 0, 15).getTime() ? 119.8 : 0) });
    expect(l.state()).toMatchObject({ level: 'over-budget', message: expect.stringMatching(/^This month's spend \$119\.80/), month: { spentUsd: 119.8 } });
    const refused = l.reserve(0.5);
    expect(refused.ok || refused.error.message).toMatch(/monthly stop threshold of \$120\.00/);
  });

  it('lets free requests through even when stopped, and keeps spend a free reservation turned out to cost', () => {
    const l = ledger({ limits: { stopThresholdUsd: 5, dailyBudgetUsd: 5 } });
    l.settle(reserved(l.reserve(5)), 5);
    const free = reserved(l.reserve(0));
    expect(free.amountUsd).toBe(0);
    l.settle(free, 0.2);
    expect(l.state().day.spentUsd).toBeCloseTo(5.2, 9);
  });

  it('forgets yesterday and releases reservations left by a crash', () => {
    let now = NOON;
    const l = ledger({ now: () => now, staleAfterMs: 60_000 });
    l.settle(reserved(l.reserve(3)), 3);
    reserved(l.reserve(2)); // never settled
    now += 24 * 60 * 60_000;
    expect(l.state().day).toMatchObject({ spentUsd: 0, heldUsd: 2 });
    expect(l.state().month.spentUsd).toBe(3);
    expect(l.reserve(0.1).ok).toBe(true); // the sweep runs with each reservation
    expect(l.state().day.heldUsd).toBeCloseTo(0.1, 9);
  });
});
