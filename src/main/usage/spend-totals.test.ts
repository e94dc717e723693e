import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/database';
import { MIGRATIONS } from '../store/migrations';
import type { CallRecord } from '../runner';
import { CallRecorder } from './call-recorder';
import { SpendTotals } from './spend-totals';

let dir: string;
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(): Db {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'spend-totals-'));
  const db = openDatabase(path.join(dir, 'test.db'), { migrations: MIGRATIONS });
  dbs.push(db);
  return db;
}

const call = (startedAt: number, costUsd: number): CallRecord => ({
  messageId: null, modelId: 'openai/gpt-4o', provider: 'openai', tier: 'paid', startedAt, firstTokenAt: null, endedAt: startedAt + 10, status: 'ok', errorCode: null,
  inputTokens: 10, outputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, costUsd, estimated: false, attempt: 1, fallbackFrom: null, purpose: 'chat',
});

describe('SpendTotals', () => {
  it('agrees with a full sum after every write, for several periods at once', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spend-totals-'));
    const db = open();
    const recorder = new CallRecorder(db);
    const totals = new SpendTotals(db);
    const day = 1_000_000;
    const month = 500_000;
    recorder.record(call(400_000, 5)); // before both periods
    recorder.record(call(600_000, 2)); // this month, before today
    expect(totals.costSince(day)).toBe(0);
    expect(totals.costSince(month)).toBe(2);
    for (let i = 0; i < 20; i += 1) {
      recorder.record(call(day + i, 0.25));
      recorder.record(call(month + 1, 0.5)); // written now, started earlier this month
      expect(totals.costSince(day)).toBeCloseTo(recorder.spendSince(day).costUsd, 9);
      expect(totals.costSince(month)).toBeCloseTo(recorder.spendSince(month).costUsd, 9);
    }
    expect(totals.costSince(0)).toBeCloseTo(recorder.spendSince(0).costUsd, 9);
  });

  it('picks up calls another process writes to the same database', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spend-totals-'));
    const mine = open();
    const theirs = open();
    const totals = new SpendTotals(mine);
    expect(totals.costSince(0)).toBe(0);
    new CallRecorder(theirs).record(call(10, 1.5));
    expect(totals.costSince(0)).toBe(1.5);
  });
});
