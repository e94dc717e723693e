import { afterEach, describe, expect, it } from 'vitest';
import type { CallPurpose } from '../../shared/contract';
import { BudgetLedger, DEFAULT_ROUTER_CONFIG, DecisionRecorder } from '../router';
import { openDatabase, type Db } from '../store';
import { CallRecorder } from '../usage';
import { MetricsService } from './metrics-service';

let db: Db;
afterEach(() => db?.close());

const DAY = 86_400_000;
// Noon, local time: "today" and "days ago" do not depend on the machine's time zone.
const NOW = new Date(2027, 2, 10, 12, 0, 0).getTime();

function setup() {
  db = openDatabase(':memory:');
  const calls = new CallRecorder(db);
  const ledger = new BudgetLedger({ db, limits: () => DEFAULT_ROUTER_CONFIG.cost, spentSince: (since) => calls.spendSince(since).costUsd, now: () => NOW });
  const metrics = new MetricsService({ db, decisions: new DecisionRecorder(db), ledger, priceOf: () => null, referenceModel: () => 'anthropic/claude-sonnet-5-5', now: () => NOW });
  const record = (purpose: CallPurpose, costUsd: number, startedAt = NOW - 60_000, tokens: [number, number] = [100, 10]) =>
    calls.record({
      messageId: null, modelId: 'deepseek/deepseek-chat', provider: 'deepseek', tier: 'paid', startedAt, firstTokenAt: null, endedAt: startedAt + 200, status: 'ok',
      errorCode: null, inputTokens: tokens[0], outputTokens: tokens[1], cachedInputTokens: 0, cacheWriteTokens: 0, costUsd, estimated: false, attempt: 1, fallbackFrom: null, purpose,
    });
  return { metrics, record };
}

describe('MetricsService: cost per purpose', () => {
  it('splits the period’s calls by purpose, most expensive first, and adds up to the period’s spend', () => {
    const { metrics, record } = setup();
    record('chat', 0.01, NOW - 60_000, [1_000, 200]);
    record('chat', 0.02, NOW - DAY, [2_000, 300]);
    record('council.answer', 0.05);
    record('council.answer', 0.04);
    record('council.synthesis', 0.035);
    record('router.classify', 0, NOW - 60_000, [400, 20]);
    record('tasks.node', 5, NOW - 30 * DAY); // outside a 7-day period

    const d = metrics.dashboard(7);
    expect(d.byPurpose.map((p) => p.purpose)).toEqual(['council.answer', 'council.synthesis', 'chat', 'router.classify']);
    expect(d.byPurpose[0]).toEqual({ purpose: 'council.answer', calls: 2, costUsd: expect.closeTo(0.09, 12), inputTokens: 200, outputTokens: 20 });
    expect(d.byPurpose[2]).toEqual({ purpose: 'chat', calls: 2, costUsd: expect.closeTo(0.03, 12), inputTokens: 3_000, outputTokens: 500 });
    expect(d.byPurpose[3]).toEqual({ purpose: 'router.classify', calls: 1, costUsd: 0, inputTokens: 400, outputTokens: 20 });
    expect(d.byPurpose.reduce((s, p) => s + p.calls, 0)).toBe(d.spend.calls);
    expect(d.byPurpose.reduce((s, p) => s + p.costUsd, 0)).toBeCloseTo(d.spend.windowUsd, 12);

    expect(metrics.dashboard(90).byPurpose[0]).toMatchObject({ purpose: 'tasks.node', calls: 1, costUsd: 5 });
  });

  it('is empty when nothing was called', () => {
    expect(setup().metrics.dashboard().byPurpose).toEqual([]);
  });
});
