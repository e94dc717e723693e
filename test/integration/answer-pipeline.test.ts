// Issue #10: one answer pipeline for every caller. Against the OpenAI-compatible fake (as OpenRouter)
// producing 16k-token replies and a fake Ollama: the budget holds under concurrency via /v1 and chat,
// council / plan / synthesis / re-run start no paid call at the stop threshold, a refusing local
// model in a task node escalates with the failure in context, and every call is logged with a purpose.
import fs from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { estimateTokens, splitTokens, startFakeOpenAI, type FakeOpenAI, type RecordedRequest } from '../fixtures/fake-openai';
import { closedPort, createTestApp, type TestApp } from '../helpers/app-harness';

const SONNET = 'openrouter/anthropic/claude-sonnet-5.5';
const HAIKU = 'openrouter/anthropic/claude-haiku-4.5';
const DEEPSEEK = 'openrouter/deepseek/deepseek-chat';
const TOKEN = 'sb-pipeline-test-token';
/** A reply far past any cap: 16,000 tokens. */
const LONG_REPLY = 'word '.repeat(16_000).trim();
const DAILY_STOP_USD = 0.2;

interface CatalogEntry {
  id: string;
  provider: string;
  price: { input: number; output: number };
}
const catalog = (JSON.parse(fs.readFileSync(path.resolve('resources/cloud-models.json'), 'utf8')) as { models: CatalogEntry[] }).models;
const openrouterModels = catalog.filter((m) => m.provider === 'openrouter').map((m) => m.id.slice('openrouter/'.length));
const priceOf = (id: string) => catalog.find((m) => m.id === id)!.price;

let openrouter: FakeOpenAI;
let ollama: FakeOllama;
let h: TestApp | null = null;

beforeAll(async () => {
  openrouter = await startFakeOpenAI({ models: openrouterModels, apiKey: 'sk-or-test-123456' });
  ollama = await startFakeOllama({ models: [{ name: 'exec:1b', parameterSize: '1B' }, { name: 'helper:3b', parameterSize: '3B' }] });
});
afterAll(async () => {
  await openrouter.close();
  await ollama.close();
});
afterEach(async () => {
  await h?.close();
  h = null;
  openrouter.setBehavior('*', {});
  ollama.setBehavior('*', {});
});

async function app(options: { api?: boolean } = {}): Promise<TestApp> {
  h = createTestApp({
    ollamaUrl: ollama.url,
    apiServer: options.api === true,
    env: { OPENROUTER_BASE_URL: `${openrouter.url}/v1`, OPENROUTER_API_KEY: 'sk-or-test-123456', SWITCHBOARD_API_TOKEN: TOKEN },
  });
  h.app.services.settings.update({
    router: { cost: { dailyBudgetUsd: 0.15, warnThresholdUsd: 0.1, stopThresholdUsd: DAILY_STOP_USD }, rungs: { local: ['ollama/exec:1b'] } },
  });
  return h;
}

const generations = (since = 0): RecordedRequest[] => openrouter.requests.slice(since).filter((r) => r.path === '/v1/chat/completions');

/** What the upstream would bill for the requests it served: its own token counts at the catalog's prices. */
function upstreamSpendUsd(requests: RecordedRequest[]): number {
  let usd = 0;
  for (const r of requests) {
    const body = r.body as { model: string; messages: Array<{ content: string }>; max_tokens?: number };
    const prompt = estimateTokens(body.messages.map((m) => m.content).join('\n'));
    const completion = Math.min(splitTokens(LONG_REPLY).length, body.max_tokens ?? Infinity);
    const price = priceOf(`openrouter/${body.model}`);
    usd += (prompt * price.input + completion * price.output) / 1_000_000;
  }
  return usd;
}

function spentToday(t: TestApp): number {
  return t.app.services.routing.ledger.state().day.spentUsd;
}

/** Today's spend put past the stop threshold by one expensive call in the log. */
function pastTheStop(t: TestApp): void {
  const now = Date.now();
  t.app.services.calls.record({
    messageId: null, modelId: SONNET, provider: 'openrouter', tier: 'paid', startedAt: now, firstTokenAt: now, endedAt: now, status: 'ok', errorCode: null,
    inputTokens: 10_000, outputTokens: 23_000, cachedInputTokens: 0, cacheWriteTokens: 0, costUsd: 0.25, estimated: false, attempt: 1, fallbackFrom: null, purpose: 'chat',
  });
  expect(t.app.services.routing.ledger.state().level).toBe('stopped');
}

describe('the budget sees every token sent upstream', () => {
  it('20 concurrent paid requests via /v1 never pass the stop threshold, with 16k-token replies capped at the reservation', async () => {
    const t = await app({ api: true });
    t.app.services.settings.update({ apiServer: { enabled: true, port: await closedPort() } });
    const status = await t.app.call('api.status', {});
    const client = new OpenAI({ baseURL: status.baseUrl!, apiKey: TOKEN, maxRetries: 0 });
    openrouter.setBehavior('anthropic/claude-sonnet-5.5', { reply: LONG_REPLY, firstTokenDelayMs: 150 });
    const before = openrouter.requests.length;

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => client.chat.completions.create({ model: SONNET, messages: [{ role: 'user', content: `Summarise chapter ${i} of the design notes.` }] })),
    );
    const served = generations(before);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(served.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0); // the threshold was reached, not avoided
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ status: 429 });
    // Every upstream request carried the cap the budget reserved for.
    for (const r of served) expect((r.body as { max_tokens?: number }).max_tokens).toBe(4096);
    const fulfilled = results.filter((r): r is PromiseFulfilledResult<OpenAI.Chat.Completions.ChatCompletion> => r.status === 'fulfilled');
    for (const r of fulfilled) expect(r.value.choices[0]!.finish_reason).toBe('length');
    expect(upstreamSpendUsd(served)).toBeLessThanOrEqual(DAILY_STOP_USD);
    expect(spentToday(t)).toBeLessThanOrEqual(DAILY_STOP_USD);
  });

  it("a client's own max_tokens is sent, reserved and counted", async () => {
    const t = await app({ api: true });
    t.app.services.settings.update({ apiServer: { enabled: true, port: await closedPort() } });
    const status = await t.app.call('api.status', {});
    const client = new OpenAI({ baseURL: status.baseUrl!, apiKey: TOKEN, maxRetries: 0 });
    openrouter.setBehavior('anthropic/claude-sonnet-5.5', { reply: LONG_REPLY });
    const before = openrouter.requests.length;
    const small = await client.chat.completions.create({ model: SONNET, max_tokens: 50, messages: [{ role: 'user', content: 'Say a lot.' }] });
    expect(small.choices[0]!.finish_reason).toBe('length');
    expect(small.usage!.completion_tokens).toBe(50);
    expect((generations(before)[0]!.body as { max_tokens: number }).max_tokens).toBe(50);
    // 16,000 output tokens at $10/M is $0.16: with $0.0017 already spent it fits under the $0.20 stop...
    const big = await client.chat.completions.create({ model: SONNET, max_tokens: 16_000, messages: [{ role: 'user', content: 'Say a lot.' }] });
    expect(big.usage!.completion_tokens).toBe(16_000);
    // ...and a second one does not: the reservation counted the client's 16,000, not a default.
    // (Another question: the same one would be answered from the cache, at no cost.)
    await expect(client.chat.completions.create({ model: SONNET, max_tokens: 16_000, messages: [{ role: 'user', content: 'Say even more.' }] })).rejects.toMatchObject({
      status: 429,
      error: { message: expect.stringMatching(/could cost up to \$0\.16.*stop threshold of \$0\.20/) },
    });
    expect(generations(before)).toHaveLength(2);
    expect(spentToday(t)).toBeLessThanOrEqual(DAILY_STOP_USD);
  });

  it('20 concurrent paid chat replies never pass the stop threshold; the refused ones say why, the capped ones are marked truncated', async () => {
    const t = await app();
    openrouter.setBehavior('anthropic/claude-sonnet-5.5', { reply: LONG_REPLY, firstTokenDelayMs: 150 });
    const before = openrouter.requests.length;
    const sent = [];
    for (let i = 0; i < 20; i += 1) {
      const { id } = await t.app.call('conversations.create', {});
      sent.push(t.app.call('chat.send', { conversationId: id, content: `Write section ${i} of the handbook in detail.`, model: SONNET }));
    }
    const replies = (await Promise.all(sent)).map((s) => s.assistantMessage.id);
    await t.app.services.chat.idle();
    const finished = replies.map((id) => t.app.services.messages.get(id)!);
    // Every reply either started (and was cut at the 4,096-token cap it reserved for: the truncated
    // gate keeps it from passing as a full answer, its text is kept) or was refused before any call.
    const refused = finished.filter((m) => m.error?.code === 'budget_exceeded');
    const capped = finished.filter((m) => m.error?.code !== 'budget_exceeded');
    expect(refused.length).toBeGreaterThan(0);
    expect(capped.length).toBe(generations(before).length);
    for (const m of refused) expect(m.error!.message).toMatch(/stop threshold/);
    for (const m of capped) {
      expect(m).toMatchObject({ status: 'error', error: { message: expect.stringMatching(/cut off at the output limit/) } });
      expect(splitTokens(m.content)).toHaveLength(4096);
    }
    for (const r of generations(before)) expect((r.body as { max_tokens?: number }).max_tokens).toBe(4096);
    expect(upstreamSpendUsd(generations(before))).toBeLessThanOrEqual(DAILY_STOP_USD);
    expect(spentToday(t)).toBeLessThanOrEqual(DAILY_STOP_USD);
  });
});

describe('at the stop threshold no paid call starts from any path', () => {
  it('council, plan, task synthesis and re-run are refused with zero upstream calls, each saying why', async () => {
    const t = await app();
    ollama.setBehavior('exec:1b', { reply: 'Part written.' });
    pastTheStop(t);
    const before = openrouter.requests.length;

    const council = { question: 'Which database for a small analytics app?', models: [SONNET, HAIKU, DEEPSEEK], minResponses: 2, pool: 'quick' as const, mode: 'synthesis' as const };
    const estimate = await t.app.call('council.estimate', council);
    expect(estimate.refusal).toMatch(/stop threshold.*paid models/);
    expect(estimate.lines.map((l) => l.label)).toEqual(['Answer', 'Answer', 'Answer', 'Review', 'Review', 'Review', 'Synthesis']);
    expect(estimate.maxCostUsd).toBeGreaterThan(estimate.estimatedCostUsd);
    await expect(t.app.call('council.start', council)).rejects.toMatchObject({ code: 'budget_exceeded', message: expect.stringMatching(/Cannot start the council: .*Settings → Routing/) });

    await expect(t.app.call('tasks.plan', { request: 'Write a short onboarding note', model: SONNET })).rejects.toMatchObject({ code: 'budget_exceeded', message: expect.stringMatching(/Cannot plan: /) });

    const plan = { goal: 'note', tasks: [{ id: 'a', title: 'Write part a', instructions: 'Write part a of the note.', kind: 'docs', complexity: 'simple', dependsOn: [] }] };
    const graph = await t.app.call('tasks.create', { request: 'Write a short onboarding note', plan, synthesisModel: SONNET });
    const graphEstimate = await t.app.call('tasks.estimate', { graphId: graph.id });
    expect(graphEstimate.lines.at(-1)).toMatchObject({ label: 'Synthesis', model: SONNET, tier: 'paid' });
    expect(graphEstimate.refusal).toMatch(/stop threshold/);
    const localEstimate = await t.app.call('tasks.estimate', { graphId: graph.id, synthesisModel: 'ollama/helper:3b' });
    expect(localEstimate).toMatchObject({ refusal: null, estimatedCostUsd: 0 });
    // The answer would be written by a paid model: nothing starts, and the refusal says what to do.
    await expect(t.app.call('tasks.run', { graphId: graph.id })).rejects.toMatchObject({ code: 'budget_exceeded', message: expect.stringMatching(/Cannot run the task graph: .*Choose local models instead/) });
    expect(ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
    // With a local writer it runs, on local models only.
    ollama.setBehavior('helper:3b', { reply: 'The note.' });
    await t.app.call('tasks.run', { graphId: graph.id, synthesisModel: 'ollama/helper:3b' });
    const done = (await t.app.services.tasks.wait(graph.id))!;
    expect(done).toMatchObject({ status: 'done', synthesisModel: 'ollama/helper:3b', answer: 'The note.' });
    expect(done.tasks[0]).toMatchObject({ status: 'done', model: 'ollama/exec:1b', output: 'Part written.' });

    await expect(t.app.call('tasks.rerun', { graphId: graph.id, taskId: 'a', model: SONNET })).rejects.toMatchObject({ code: 'budget_exceeded', message: expect.stringMatching(/stop threshold/) });
    // A re-run can move the answer to another writer too (the picker beside Re-run).
    await t.app.call('tasks.rerun', { graphId: graph.id, taskId: 'a', synthesisModel: 'ollama/exec:1b' });
    expect((await t.app.services.tasks.wait(graph.id))!).toMatchObject({ status: 'done', synthesisModel: 'ollama/exec:1b', answer: 'Part written.' });
    // A task pinned to a paid model (an earlier re-run on it) is part of the refusal and the estimate,
    // and a refused run changes nothing, not even the writer it was asked to use.
    t.app.services.tasks.repo.updateTask(graph.id, 'a', { modelOverride: SONNET, status: 'failed' });
    expect((await t.app.call('tasks.estimate', { graphId: graph.id })).lines[0]).toMatchObject({ model: SONNET, tier: 'paid' });
    await expect(t.app.call('tasks.run', { graphId: graph.id, synthesisModel: 'ollama/helper:3b' })).rejects.toMatchObject({ code: 'budget_exceeded', message: expect.stringContaining(SONNET) });
    expect(t.app.services.tasks.repo.get(graph.id)!.synthesisModel).toBe('ollama/exec:1b');
    expect(generations(before)).toHaveLength(0);
  });
});

describe('gates everywhere', () => {
  it('a task node whose local model refuses escalates up its chain with the failure in context', async () => {
    const t = await app();
    ollama.setBehavior('exec:1b', { reply: "I'm sorry, but I can't help with that." });
    openrouter.setBehavior('*', { reply: 'The onboarding note, part a.' });
    const plan = { goal: 'note', tasks: [{ id: 'a', title: 'Write part a', instructions: 'Write part a of the onboarding note.', kind: 'docs', complexity: 'simple', dependsOn: [] }] };
    const graph = await t.app.call('tasks.create', { request: 'Write an onboarding note', plan, synthesisModel: 'ollama/helper:3b' });
    ollama.setBehavior('helper:3b', { reply: 'Final note.' });
    const before = openrouter.requests.length;
    await t.app.call('tasks.run', { graphId: graph.id });
    const done = (await t.app.services.tasks.wait(graph.id))!;
    const node = done.tasks[0]!;
    expect(node.status).toBe('done');
    expect(node.output).toBe('The onboarding note, part a.');
    expect(node.model).not.toBe('ollama/exec:1b');
    expect(node.attempts).toBeGreaterThan(1);
    // The stronger model was told what went wrong before it.
    const escalated = generations(before)[0]!.body as { messages: Array<{ role: string; content: string }> };
    expect(escalated.messages.map((m) => m.content).join('\n')).toMatch(/rejected by an automatic check \(ollama\/exec:1b: .*refused/);
    expect(done.answer).toBe('Final note.');

    // Every model call of the run is in the call log with what it was for.
    const purposes = t.app.db.prepare(`SELECT purpose, model_id AS model FROM calls ORDER BY started_at, rowid`).all() as Array<{ purpose: string; model: string }>;
    expect(purposes.length).toBeGreaterThanOrEqual(3);
    expect(purposes.every((p) => p.purpose !== 'other')).toBe(true);
    expect(purposes.filter((p) => p.purpose === 'tasks.node').map((p) => p.model)).toContain('ollama/exec:1b');
    expect(purposes.map((p) => p.purpose)).toContain('tasks.synthesis');
  });

  it('a council member that refuses is not counted as an answer', async () => {
    const t = await app();
    ollama.setBehavior('exec:1b', { reply: "I'm sorry, but I can't help with that." });
    ollama.setBehavior('helper:3b', { reply: 'Use SQLite: it is one file and fast enough.' });
    openrouter.setBehavior('*', { reply: 'Use Postgres for growth.' });
    const { runId } = await t.app.call('council.start', { question: 'Which database for a small analytics app?', models: ['ollama/exec:1b', 'ollama/helper:3b', DEEPSEEK], minResponses: 2, pool: 'quick', mode: 'synthesis', chairman: 'ollama/helper:3b' });
    const record = (await t.app.services.council.wait(runId))!;
    const refuser = record.responses.find((r) => r.model === 'ollama/exec:1b')!;
    expect(refuser.status).toBe('failed');
    expect(refuser.error?.message).toMatch(/refused/);
    expect(record.status).toBe('completed');
  });
});
