import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/database';
import { MIGRATIONS } from '../store/migrations';
import { analyse } from './analyse';
import { runCascade } from './cascade';
import { DEFAULT_ROUTER_CONFIG, loadRouterConfigFile, resolveRouterConfig } from './config';
import { decisionRecordFrom, DecisionRecorder, toLlmPerformance } from './decision-recorder';
import { decide } from './policy';
import { ScriptedRunner, testContext } from './testing';

let db: Db | undefined;
afterEach(() => db?.close());

const PROMPT = 'Refactor the session store in our web server into smaller modules, one for cookies and one for persistence, keeping its public API';

async function ranDecision(groqReply: string) {
  const messages = [{ role: 'user' as const, content: PROMPT }];
  const ctx = testContext();
  const decision = decide(analyse(messages), ctx);
  let t = 0;
  const runner = new ScriptedRunner().script('groq/llama-3.3-70b-versatile', { text: groqReply }).script('deepseek/deepseek-chat', { text: 'ok', usage: { inputTokens: 1000, outputTokens: 100 } });
  const result = await runCascade({ decision, messages, runner, model: ctx.model, now: () => (t += 100) });
  return { decision, result };
}

describe('DecisionRecorder', () => {
  it('round-trips a decision and its cascade through route_decisions', async () => {
    db = openDatabase(':memory:', { migrations: MIGRATIONS });
    const recorder = new DecisionRecorder(db);
    const { decision, result } = await ranDecision('');
    const record = decisionRecordFrom(decision, result, { id: 'd1', createdAt: 1_700_000_000_000 });
    recorder.record(record);
    expect(recorder.get('d1')).toEqual(record);
    expect(record).toMatchObject({ chosenModel: 'deepseek/deepseek-chat', tier: 'paid', outcome: 'ok', escalations: 1 });
    expect(record.costUsd).toBeCloseTo((1000 * 0.27 + 100 * 1.1) / 1e6, 12);
    expect(recorder.list({ since: 1_600_000_000_000 })).toHaveLength(1);
    expect(recorder.list({ messageId: 'nope' })).toHaveLength(0);
  });

  it('records a refused decision with its reason', () => {
    db = openDatabase(':memory:', { migrations: MIGRATIONS });
    const recorder = new DecisionRecorder(db);
    const decision = decide(analyse([{ role: 'user', content: PROMPT }]), testContext({ offline: true, installedLocal: [] }));
    const record = decisionRecordFrom(decision, null, { id: 'd2' });
    recorder.record(record);
    expect(recorder.get('d2')).toMatchObject({ outcome: 'refused', chosenModel: null, tier: null, attempts: [] });
    expect(recorder.get('d2')?.reasons.at(-1)).toMatch(/Offline mode is on/);
  });

  it("exports seed 000's llm-performance.json shape", async () => {
    const { decision, result } = await ranDecision('');
    const entry = toLlmPerformance(decisionRecordFrom(decision, result, { createdAt: Date.UTC(2026, 0, 14, 12) }));
    expect(Object.keys(entry)).toEqual(['task', 'models', 'timestamp', 'latency_ms', 'votes', 'verdict']);
    expect(entry).toEqual({
      task: 'refactor (simple)',
      models: ['groq/llama-3.3-70b-versatile', 'deepseek/deepseek-chat'],
      timestamp: '2026-01-14T12:00:00.000Z',
      latency_ms: { 'groq/llama-3.3-70b-versatile': 100, 'deepseek/deepseek-chat': 200 }, // the clock ticks per read; deepseek's text adds a first-token read
      votes: { 'groq/llama-3.3-70b-versatile': 'REJECT', 'deepseek/deepseek-chat': 'APPROVE' },
      verdict: 'ESCALATED_APPROVE',
    });
    const first = await ranDecision('fine');
    expect(toLlmPerformance(decisionRecordFrom(first.decision, first.result)).verdict).toBe('UNANIMOUS_APPROVE');
  });
});

describe('router config', () => {
  it('has the seed defaults', () => {
    expect(resolveRouterConfig()).toEqual(DEFAULT_ROUTER_CONFIG);
    expect(DEFAULT_ROUTER_CONFIG.tiers.simple_edit).toEqual(['local', 'groq', 'deepseek']);
    expect(DEFAULT_ROUTER_CONFIG.cost).toMatchObject({ dailyBudgetUsd: 5, warnThresholdUsd: 4, stopThresholdUsd: 6 });
    expect(DEFAULT_ROUTER_CONFIG.context.maxContextTokens).toBe(20_000);
    expect(DEFAULT_ROUTER_CONFIG.validation.threshold).toBe(0.8);
  });

  it('merges a partial config and refuses unknown rungs and inverted thresholds', () => {
    expect(resolveRouterConfig({ cost: { dailyBudgetUsd: 2, warnThresholdUsd: 1 } }).cost).toMatchObject({ dailyBudgetUsd: 2, warnThresholdUsd: 1, stopThresholdUsd: 6 });
    expect(() => resolveRouterConfig({ tiers: { refactor: ['gpt5'] } })).toThrow(/tiers\.refactor\.0: unknown rung "gpt5"/);
    expect(() => resolveRouterConfig({ cost: { warnThresholdUsd: 9 } })).toThrow(/warn ≤ budget ≤ stop/);
    expect(() => resolveRouterConfig({ preference: 'vibes' })).toThrow(/preference/);
  });

  it('loads a JSON file, and the defaults when there is none', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'router-config-'));
    try {
      const file = path.join(dir, 'router.json');
      expect(await loadRouterConfigFile(file)).toEqual(DEFAULT_ROUTER_CONFIG);
      fs.writeFileSync(file, JSON.stringify({ preference: 'quality' }));
      expect((await loadRouterConfigFile(file)).preference).toBe('quality');
      fs.writeFileSync(file, '{ nope');
      await expect(loadRouterConfigFile(file)).rejects.toMatchObject({ code: 'invalid_input' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
