import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventEnvelope, Message } from '../../src/shared/contract';
import { AUTO_MODEL_ID, LOCAL_MODEL_ID } from '../../src/main/answer';
import { costOf } from '../../src/main/runner';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { createTestApp, lengthRulesRouterConfig, type TestApp } from '../helpers/app-harness';

const LOCAL = 'ollama/qwen2.5-coder:7b';
const GROQ = 'groq/llama-3.3-70b-versatile';
const SIMPLE = 'What is the capital of France?';
// Seed 002 sends refactors to Groq first (no local rung).
const REFACTOR = 'Refactor the session store in our web server into smaller modules, one for cookies and one for persistence, keeping its public API';

let ollama: FakeOllama;
let groq: FakeOpenAI;
let deepseek: FakeOpenAI;
let h: TestApp;
let seen: EventEnvelope[];

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'qwen2.5-coder:7b', family: 'qwen2', parameterSize: '7.6B' }] });
  groq = await startFakeOpenAI({ models: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'], apiKey: 'gsk_routing_test_1234' });
  deepseek = await startFakeOpenAI({ models: ['deepseek-chat'], apiKey: 'sk-deepseek-routing-1234' });
});
afterAll(async () => {
  await Promise.all([ollama.close(), groq.close(), deepseek.close()]);
});
beforeEach(() => {
  ollama.setBehavior('qwen2.5-coder:7b', { reply: 'Paris.' });
  groq.clearBehavior();
  groq.setBehavior('*', { reply: 'Groq says: Paris is the capital of France.', usage: { promptTokens: 40, completionTokens: 9 } });
  deepseek.setBehavior('deepseek-chat', { reply: 'DeepSeek answer.', usage: { promptTokens: 2_000, completionTokens: 500 } });
  h = createTestApp({
    ollamaUrl: ollama.url,
    env: {
      GROQ_API_KEY: 'gsk_routing_test_1234',
      GROQ_BASE_URL: `${groq.url}/v1`,
      DEEPSEEK_API_KEY: 'sk-deepseek-routing-1234',
      DEEPSEEK_BASE_URL: `${deepseek.url}/v1`,
      // These tests pin the cascade and its records on seed 002's length rules (issue #11's dial off).
      SWITCHBOARD_ROUTER_CONFIG: lengthRulesRouterConfig(),
    },
  });
  seen = [];
  h.app.events.subscribe((e) => seen.push(e));
});
afterEach(async () => {
  await h.close();
});

async function ask(model: string, content = SIMPLE): Promise<Message> {
  const { id } = await h.app.call('conversations.create', {});
  const { assistantMessage } = await h.app.call('chat.send', { conversationId: id, content, model });
  await h.app.services.chat.idle();
  return h.app.services.messages.get(assistantMessage.id)!;
}

describe('Auto routing in chat', () => {
  it('answers a simple question on the installed local model', async () => {
    const m = await ask(AUTO_MODEL_ID);
    expect(m).toMatchObject({ status: 'complete', content: 'Paris.', modelId: LOCAL, tier: 'local', escalations: 0, costUsd: 0 });
    const decision = await h.app.call('routing.decision', { messageId: m.id });
    expect(decision).toMatchObject({ chosenModel: LOCAL, tier: 'local', outcome: 'ok', analysis: { intent: 'question', complexity: 'trivial' } });
    expect(decision!.candidates[0]).toMatchObject({ model: LOCAL, eligible: true, reason: 'runs on this machine' });
    expect(groq.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
  });

  it.each([
    ['a refusal', "I can't help with that.", 'refusal', 'the model refused the request'],
    ['an empty reply', '', 'empty', 'the reply was empty'],
  ])('escalates to Groq after %s from the local model, and the record says why', async (_name, localReply, gate, reason) => {
    ollama.setBehavior('qwen2.5-coder:7b', { reply: localReply });
    const before = groq.requests.length;
    const m = await ask(AUTO_MODEL_ID);
    expect(m).toMatchObject({ status: 'complete', content: 'Groq says: Paris is the capital of France.', modelId: GROQ, tier: 'free', escalations: 1 });
    expect(groq.requests.length - before).toBe(1);

    const attempts = seen.flatMap((e) => (e.event === 'chat.attempt' && e.payload.messageId === m.id ? [e.payload] : []));
    expect(attempts).toEqual([
      expect.objectContaining({ attempt: 1, model: LOCAL, tier: 'local', from: null, reason: null }),
      expect.objectContaining({ attempt: 2, model: GROQ, tier: 'free', from: LOCAL, reason }),
    ]);
    const decision = (await h.app.call('routing.decision', { messageId: m.id }))!;
    expect(decision).toMatchObject({ chosenModel: GROQ, tier: 'free', escalations: 1, outcome: 'ok' });
    expect(decision.attempts[0]).toMatchObject({ model: LOCAL, passed: false });
    expect(decision.attempts[0]!.gates.at(-1)).toMatchObject({ gate, passed: false, reason });
    expect(decision.attempts[1]).toMatchObject({ model: GROQ, passed: true });
    expect(decision.attempts[1]!.gates.every((g) => g.passed)).toBe(true);
    // The retry told Groq what went wrong.
    expect(JSON.stringify(groq.requests.at(-1)!.body.messages)).toContain(reason);
  });

  it('Local only never calls the cloud, even for work Auto would send there', async () => {
    expect((await h.app.call('routing.preview', { content: REFACTOR })).model).toBe(GROQ);
    const before = groq.requests.length + deepseek.requests.length;
    const m = await ask(LOCAL_MODEL_ID, REFACTOR);
    expect(m).toMatchObject({ status: 'complete', modelId: LOCAL, tier: 'local' });

    ollama.setBehavior('qwen2.5-coder:7b', { reply: "I can't help with that." });
    // Another wording: the response cache would answer the same request from the first reply.
    const failed = await ask(LOCAL_MODEL_ID, `${REFACTOR}, and keep the tests passing`);
    expect(failed.status).toBe('error');
    expect(failed.error?.message).toMatch(/No answer passed the quality checks/);
    expect(groq.requests.length + deepseek.requests.length).toBe(before);
  });
});

describe('offline mode', () => {
  it('refuses cloud models before any request leaves, logs refusals, refuses pulls, and local chat still works', async () => {
    await h.app.call('settings.update', { offlineMode: true });
    const before = groq.requests.length;

    const cloud = await ask('groq/llama-3.1-8b-instant');
    expect(cloud.status).toBe('error');
    expect(cloud.error).toMatchObject({ code: 'offline', message: expect.stringMatching(/Offline mode is on, so groq\/llama-3\.1-8b-instant .* was not called/) });

    expect(groq.requests.length).toBe(before);

    // A request that does try to leave (testing the Groq key against a non-loopback address; the
    // fakes listen on loopback, which offline mode allows) is stopped by the guarded fetch and logged.
    await h.app.call('providers.update', { id: 'groq', baseUrl: 'http://203.0.113.7/v1' });
    expect(await h.app.call('providers.test', { id: 'groq' })).toMatchObject({ ok: false, error: { code: 'offline' } });
    const log = await h.app.call('network.log', { limit: 20 });
    expect(log[0]).toMatchObject({ host: '203.0.113.7', allowed: false, purpose: 'groq', reason: expect.stringMatching(/offline mode/) });
    expect(log.some((e) => e.allowed && e.host === new URL(ollama.url).host)).toBe(true);
    expect(seen.some((e) => e.event === 'network.request' && !e.payload.entry.allowed)).toBe(true);

    const pulls = ollama.requests.filter((r) => r.path === '/api/pull').length;
    await expect(h.app.call('localModels.pull', { model: 'llama3.2:3b' })).rejects.toMatchObject({ code: 'offline', message: expect.stringMatching(/Ollama daemon downloads/) });
    expect(ollama.requests.filter((r) => r.path === '/api/pull')).toHaveLength(pulls);

    const local = await ask(AUTO_MODEL_ID, REFACTOR);
    expect(local).toMatchObject({ status: 'complete', modelId: LOCAL, tier: 'local' });
    const decision = (await h.app.call('routing.decision', { messageId: local.id }))!;
    expect(decision.reasons).toContain('Offline mode: only models on this machine are used.');
    expect(decision.candidates.find((c) => c.model === GROQ)).toMatchObject({ eligible: false, reason: 'offline mode: only local models' });
  });
});

describe('budgets', () => {
  it('past the stop threshold only local models run, the level change is announced, and replies say why', async () => {
    const cost = { dailyBudgetUsd: 0.01, warnThresholdUsd: 0.005, stopThresholdUsd: 0.02 };
    const state = await h.app.call('routing.updateConfig', { patch: { cost } });
    expect(state.config.cost).toMatchObject(cost);
    await expect(h.app.call('routing.updateConfig', { patch: { cost: { warnThresholdUsd: 1 } } })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/warn ≤ budget ≤ stop/) });
    expect((await h.app.call('routing.config', {})).patch).toEqual({ cost });

    deepseek.setBehavior('deepseek-chat', { reply: 'Expensive.', usage: { promptTokens: 100_000, completionTokens: 10_000 } });
    const paid = await ask('deepseek/deepseek-chat');
    expect(paid.costUsd).toBeCloseTo((100_000 * 0.27 + 10_000 * 1.1) / 1e6, 9);
    const budget = await h.app.call('budget.state', {});
    expect(budget).toMatchObject({ level: 'stopped', day: { level: 'stopped', stopUsd: 0.02 } });
    expect(budget.day.spentUsd).toBeCloseTo(paid.costUsd!, 9);
    expect(budget.day.resetsAt).toBeGreaterThan(Date.now());
    expect(seen.filter((e) => e.event === 'budget.changed').map((e) => (e.event === 'budget.changed' ? e.payload.budget.level : null))).toEqual(['stopped']);

    const local = await ask(AUTO_MODEL_ID, REFACTOR);
    expect(local).toMatchObject({ status: 'complete', modelId: LOCAL, tier: 'local' });
    const decision = (await h.app.call('routing.decision', { messageId: local.id }))!;
    expect(decision.reasons.join(' ')).toMatch(/reached the stop threshold \$0\.02/);
    expect(decision.candidates.find((c) => c.model === GROQ)?.reason).toMatch(/Only local models run until the budget resets/);

    const refused = await ask('deepseek/deepseek-chat', 'What is the capital of Spain?');
    expect(refused.error).toMatchObject({ code: 'budget_exceeded', message: expect.stringMatching(/stop threshold .* Only local models run/) });
  });
});

describe('metrics', () => {
  it('the dashboard matches the calls made, and the export has seed 000’s shape', async () => {
    await ask(AUTO_MODEL_ID); // local
    ollama.setBehavior('qwen2.5-coder:7b', { reply: "I can't help with that." });
    await ask(AUTO_MODEL_ID, 'What is the capital of Italy?'); // local refused → Groq
    const paid = await ask('deepseek/deepseek-chat');

    const calls = h.app.services.calls.list({ limit: 100 });
    expect(calls).toHaveLength(4);
    const sonnet = h.app.services.prices.catalog().priceOf('anthropic/claude-sonnet-5-5')!;
    const reference = calls.reduce((sum, c) => sum + costOf({ ...c, estimated: c.estimated }, sonnet, 'paid'), 0);

    const d = await h.app.call('metrics.dashboard', { days: 7 });
    expect(d.days).toBe(7);
    expect(d.spend).toMatchObject({ calls: 4 });
    expect(d.spend.windowUsd).toBeCloseTo(paid.costUsd!, 12);
    expect(d.budget.day.spentUsd).toBeCloseTo(paid.costUsd!, 12);
    expect(d.savings).toMatchObject({ referenceModel: 'anthropic/claude-sonnet-5-5', referencePrice: { input: 2, output: 10 }, calls: 4 });
    expect(d.savings.referenceUsd).toBeCloseTo(reference, 12);
    expect(d.savings.savedUsd).toBeCloseTo(reference - paid.costUsd!, 12);
    expect(d.requests).toEqual({ total: 3, answered: 3, failed: 0, refused: 0, cancelled: 0 });
    expect(d.tiers.map((t) => [t.tier, t.requests])).toEqual([['local', 1], ['free', 1], ['paid', 1]]);
    expect(d.escalation).toMatchObject({ requests: 3, escalated: 1, escalations: 1 });
    expect(d.escalation.rate).toBeCloseTo(1 / 3, 12);
    expect(d.latency.map((l) => [l.model, l.calls])).toEqual([['deepseek/deepseek-chat', 1], [GROQ, 1], [LOCAL, 2]]);
    expect(d.latency.every((l) => l.p50Ms <= l.p95Ms && l.p95Ms <= l.p99Ms)).toBe(true);
    expect(d.failures).toEqual([{ kind: 'gate', type: 'refusal', count: 1 }]);
    expect(d.series).toHaveLength(7);
    expect(d.series.at(-1)).toMatchObject({ requests: 3, escalated: 1, tiers: { local: 1, free: 1, paid: 1 } });
    expect(d.series.at(-1)!.costUsd).toBeCloseTo(paid.costUsd!, 12);

    const exported = await h.app.call('metrics.export', {});
    expect(exported.fileName).toBe('llm-performance.json');
    expect(exported.entries).toHaveLength(3);
    for (const e of exported.entries) expect(Object.keys(e).sort()).toEqual(['latency_ms', 'models', 'task', 'timestamp', 'verdict', 'votes']);
    expect(exported.entries[1]).toMatchObject({ task: 'question (trivial)', models: [LOCAL, GROQ], votes: { [LOCAL]: 'REJECT', [GROQ]: 'APPROVE' }, verdict: 'ESCALATED_APPROVE' });
    expect(JSON.stringify(exported)).not.toContain('capital of France');
  });
});
