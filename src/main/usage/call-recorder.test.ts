import { afterEach, describe, expect, it } from 'vitest';
import type { CallPurpose } from '../../shared/contract';
import { migrate, MIGRATIONS, openDatabase, schemaVersion, type Db } from '../store';
import type { CallRecord } from '../runner';
import { CallRecorder } from './call-recorder';

let db: Db;
afterEach(() => db?.close());

const DAY = 86_400_000;
const T0 = 1_800_000_000_000;

function call(purpose: CallPurpose, over: Partial<CallRecord> = {}): CallRecord {
  return {
    messageId: null, modelId: 'deepseek/deepseek-chat', provider: 'deepseek', tier: 'paid', startedAt: T0, firstTokenAt: T0 + 100, endedAt: T0 + 500,
    status: 'ok', errorCode: null, inputTokens: 100, outputTokens: 20, cachedInputTokens: 0, cacheWriteTokens: 0, costUsd: 0.01, estimated: false,
    attempt: 1, fallbackFrom: null, purpose, ...over,
  };
}

describe('calls.purpose (migration 8)', () => {
  it('keeps the rows written before it, as `other`', () => {
    db = openDatabase(':memory:', { migrations: MIGRATIONS.filter((m) => m.version < 8) });
    expect(schemaVersion(db)).toBe(7);
    db.prepare(`INSERT INTO calls (id, model_id, provider, tier, started_at, ended_at, status, cost_usd) VALUES ('old', 'groq/llama', 'groq', 'free', ?, ?, 'ok', 0.5)`).run(T0, T0 + 1);

    migrate(db, MIGRATIONS.filter((m) => m.version <= 8));
    expect(schemaVersion(db)).toBe(8);
    // Migration 9 rolls the old row up, so the readers (on the rollups) still count it.
    migrate(db, MIGRATIONS.filter((m) => m.version <= 9));
    expect(schemaVersion(db)).toBe(9);
    migrate(db, MIGRATIONS); // the recorder writes today's columns (cost_unknown, migration 11)
    const recorder = new CallRecorder(db);
    expect(recorder.list()).toEqual([expect.objectContaining({ id: 'old', purpose: 'other', costUsd: 0.5 })]);
    expect(recorder.spendByPurpose(0)).toEqual([{ purpose: 'other', calls: 1, costUsd: 0.5, inputTokens: 0, outputTokens: 0 }]);
  });

  it('stores each call’s purpose and reads it back', () => {
    db = openDatabase(':memory:');
    const recorder = new CallRecorder(db);
    recorder.record(call('council.review', { id: 'a' }));
    recorder.record(call('tasks.node', { id: 'b', startedAt: T0 + 1 }));
    expect(recorder.list().map((c) => [c.id, c.purpose])).toEqual([['a', 'council.review'], ['b', 'tasks.node']]);
    expect(db.prepare(`SELECT purpose FROM calls WHERE id = 'a'`).pluck().get()).toBe('council.review');
  });
});

describe('CallRecorder.spendByPurpose', () => {
  it('sums calls, cost and tokens per purpose since a time, most expensive first', () => {
    db = openDatabase(':memory:');
    const recorder = new CallRecorder(db);
    recorder.record(call('chat', { costUsd: 0.002, inputTokens: 10, outputTokens: 5 }));
    recorder.record(call('chat', { costUsd: 0.003, inputTokens: 30, outputTokens: 7 }));
    recorder.record(call('escalation', { costUsd: 0.04, inputTokens: 400, outputTokens: 90 }));
    recorder.record(call('router.classify', { tier: 'local', costUsd: 0, inputTokens: 200, outputTokens: 12 }));
    recorder.record(call('council.answer', { costUsd: 0.9, startedAt: T0 - 2 * DAY })); // before the window

    expect(recorder.spendByPurpose(T0 - DAY)).toEqual([
      { purpose: 'escalation', calls: 1, costUsd: 0.04, inputTokens: 400, outputTokens: 90 },
      { purpose: 'chat', calls: 2, costUsd: expect.closeTo(0.005, 12), inputTokens: 40, outputTokens: 12 },
      { purpose: 'router.classify', calls: 1, costUsd: 0, inputTokens: 200, outputTokens: 12 },
    ]);
    expect(recorder.spendByPurpose(0)[0]).toMatchObject({ purpose: 'council.answer', calls: 1 });
    expect(recorder.spendByPurpose(T0 + DAY)).toEqual([]);
  });

  it('is answered from the time-and-purpose index alone', () => {
    db = openDatabase(':memory:');
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT purpose, COUNT(*), SUM(cost_usd), SUM(input_tokens), SUM(output_tokens) FROM calls WHERE started_at >= ? GROUP BY purpose`)
      .all(0) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING COVERING INDEX calls_by_time_purpose \(started_at>\?\)/);
  });
});
