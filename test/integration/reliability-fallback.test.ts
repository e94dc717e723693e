import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../src/shared/errors';
import { readCloudCatalog, type ModelCatalog } from '../../src/main/catalog';
import { OpenAICompatibleProvider } from '../../src/main/providers/openai';
import { ProviderRegistry } from '../../src/main/providers/registry';
import type { ChatMessage, StreamPart } from '../../src/main/runner/chat-provider';
import { ReliableChat } from '../../src/main/reliability';
import { MIGRATIONS, openDatabase, type Db } from '../../src/main/store';
import { estimatePromptTokens, estimateTextTokens } from '../../src/main/runner';
import { CallRecorder } from '../../src/main/usage';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';

const FREE = 'groq/llama-3.1-8b-instant';
const PAID = 'openai/gpt-4o';
let groq: FakeOpenAI;
let openai: FakeOpenAI;
let catalog: ModelCatalog;
let db: Db;
let recorder: CallRecorder;
let chat: ReliableChat;

beforeAll(async () => {
  groq = await startFakeOpenAI({ models: ['llama-3.1-8b-instant'] });
  openai = await startFakeOpenAI({ models: ['gpt-4o'] });
  catalog = await readCloudCatalog(fileURLToPath(new URL('../../resources/cloud-models.json', import.meta.url)));
});
afterAll(async () => {
  await groq.close();
  await openai.close();
});
afterEach(() => {
  groq.clearBehavior();
  openai.clearBehavior();
  db.close();
});

/** A fresh in-memory database and chat per test. */
function setup(): void {
  db = openDatabase(':memory:', { migrations: MIGRATIONS });
  recorder = new CallRecorder(db);
  const registry = new ProviderRegistry();
  registry.register(new OpenAICompatibleProvider({ preset: 'groq', getKey: async () => 'gsk_fallback0123456789', env: { GROQ_BASE_URL: `${groq.url}/v1` } }));
  registry.register(new OpenAICompatibleProvider({ preset: 'openai', getKey: async () => 'sk-fallback0123456789', env: { OPENAI_BASE_URL: `${openai.url}/v1` } }));
  chat = new ReliableChat({
    providers: registry,
    tierOf: (id) => catalog.tierOf(id),
    pricing: (id) => catalog.priceOf(id),
    recorder,
    retry: { maxAttempts: 1 },
  });
}

const MESSAGES: ChatMessage[] = [{ role: 'user', content: 'Write a haiku about fallbacks.' }];
async function run(candidates: string[], messageId: string | null = null): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of chat.stream({ candidates, messages: MESSAGES, messageId })) out.push(p);
  return out;
}
const texts = (parts: StreamPart[]) => parts.flatMap((p) => (p.type === 'text-delta' ? [p.text] : [])).join('');

describe('fallback', () => {
  it('a failure before the first token moves to the next candidate and says so', async () => {
    setup();
    groq.setBehavior('*', { errorStatus: 503 });
    openai.setBehavior('*', { reply: 'Paid model answers' });
    const parts = await run([FREE, PAID]);
    expect(parts[0]).toMatchObject({ type: 'fallback', from: FREE, to: PAID, error: { code: 'unavailable', status: 503 } });
    expect(texts(parts)).toBe('Paid model answers');
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const [failed, answered] = recorder.list();
    expect(failed).toMatchObject({ modelId: FREE, status: 'error', errorCode: 'unavailable', firstTokenAt: null, attempt: 1, fallbackFrom: null, costUsd: 0 });
    expect(answered).toMatchObject({ modelId: PAID, status: 'ok', fallbackFrom: FREE, tier: 'paid' });
  });

  it('a failure after the first token keeps the text and ends with a partial error naming the models left', async () => {
    setup();
    groq.setBehavior('*', { reply: 'one two three four', tokenDelayMs: 2, failAfterTokens: 2 });
    const sentBefore = openai.requests.length;
    const parts = await run([FREE, PAID]);
    expect(texts(parts)).toBe('one two');
    expect(parts.some((p) => p.type === 'fallback')).toBe(false);
    expect(parts.at(-1)).toMatchObject({ type: 'error', partial: true, remaining: [PAID], error: { code: 'network' } });
    expect(openai.requests.length).toBe(sentBefore);
    const [call] = recorder.list();
    expect(call).toMatchObject({ status: 'error', errorCode: 'network', estimated: true });
    expect(call!.firstTokenAt).not.toBeNull();
  });

  it('every candidate failing ends with one error that lists them', async () => {
    setup();
    groq.setBehavior('*', { errorStatus: 503 });
    openai.setBehavior('*', { errorStatus: 500 });
    const parts = await run([FREE, PAID]);
    const last = parts.at(-1);
    if (last?.type !== 'error') throw new Error('expected an error part');
    expect(last.error.message).toMatch(/None of the 2 models/);
    expect(last.error.details?.attempts).toHaveLength(2);
  });

  it('bad input ends the reply instead of trying every model', async () => {
    setup();
    groq.setBehavior('*', { errorStatus: 400 });
    const sentBefore = openai.requests.length;
    const parts = await run([FREE, PAID]);
    expect(parts).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'invalid_input' }) }]);
    expect(openai.requests.length).toBe(sentBefore);
  });
});

describe('misbehaving and refusing providers', () => {
  it('a provider that throws is an internal error and the next model answers; a content filter ends the reply', async () => {
    setup();
    const registry = new ProviderRegistry();
    registry.register({
      id: 'broken',
      listModels: async () => [],
      // eslint-disable-next-line require-yield -- throws before yielding, on purpose
      async *streamChat() {
        throw new Error('bug in a provider');
      },
    });
    registry.register({
      id: 'prude',
      listModels: async () => [],
      async *streamChat() {
        yield { type: 'text-delta' as const, text: 'Once' };
        yield { type: 'error' as const, error: new SwitchboardError('content_filtered', 'filtered') };
      },
    });
    registry.register(new OpenAICompatibleProvider({ preset: 'openai', getKey: async () => 'sk-fallback0123456789', env: { OPENAI_BASE_URL: `${openai.url}/v1` } }));
    const local = new ReliableChat({ providers: registry, retry: { maxAttempts: 1 } });
    const collect = async (candidates: string[]) => {
      const out: StreamPart[] = [];
      for await (const p of local.stream({ candidates, messages: MESSAGES })) out.push(p);
      return out;
    };
    const first = await collect(['broken/x', PAID]);
    expect(first[0]).toMatchObject({ type: 'fallback', from: 'broken/x', error: { code: 'internal' } });
    expect(first.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const second = await collect(['prude/x', PAID]);
    expect(second.at(-1)).toMatchObject({ type: 'error', partial: true, error: { code: 'content_filtered' } });
    expect(second.some((p) => p.type === 'fallback')).toBe(false);
  });
});

describe('usage and cost per call', () => {
  it('records reported usage, priced from the catalog, into the calls table (migration 2)', async () => {
    setup();
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'calls'`).get()).toEqual({ name: 'calls' });
    openai.setBehavior('*', { reply: 'a b c', usage: { promptTokens: 40_000, completionTokens: 2_000 } });
    const parts = await run([PAID]);
    expect(parts.find((p) => p.type === 'usage')).toEqual({ type: 'usage', usage: { inputTokens: 40_000, outputTokens: 2_000, estimated: false } });
    const [call] = recorder.list();
    // GPT-4o, seed 002: $2.50 in / $10 out per 1M.
    expect(call).toMatchObject({ modelId: PAID, provider: 'openai', tier: 'paid', status: 'ok', inputTokens: 40_000, outputTokens: 2_000, estimated: false });
    expect(call!.costUsd).toBeCloseTo(0.1 + 0.02, 10);
    expect(call!.endedAt).toBeGreaterThanOrEqual(call!.firstTokenAt!);
    expect(recorder.spendSince(0)).toMatchObject({ calls: 1, estimatedCalls: 0 });
  });

  it('estimates usage when the provider reports none, and says so', async () => {
    setup();
    openai.setBehavior('*', { reply: 'An estimated reply of some words', usage: false });
    const parts = await run([PAID]);
    const usage = { inputTokens: estimatePromptTokens(MESSAGES), outputTokens: estimateTextTokens('An estimated reply of some words'), estimated: true };
    expect(parts.find((p) => p.type === 'usage')).toEqual({ type: 'usage', usage });
    const [call] = recorder.list();
    expect(call).toMatchObject({ estimated: true, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens });
    expect(call!.costUsd).toBeCloseTo((usage.inputTokens * 2.5 + usage.outputTokens * 10) / 1e6, 12);
  });

  it('free-tier calls cost nothing; Settings can mark the tier paid', async () => {
    setup();
    groq.setBehavior('*', { reply: 'free', usage: { promptTokens: 1_000_000, completionTokens: 1_000_000 } });
    await run([FREE]);
    expect(recorder.list()[0]).toMatchObject({ tier: 'free', costUsd: 0 });
    const paid = catalog.withOverrides({ [FREE]: { tier: 'paid' } });
    expect(paid.tierOf(FREE)).toBe('paid');
    expect(paid.priceOf(FREE)).toEqual({ input: 0.59, output: 0.79 });
  });

  it('keeps the message link, and answers p50/p95 latency per model', async () => {
    setup();
    db.prepare(`INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('c1', 't', 0, 0)`).run();
    db.prepare(`INSERT INTO messages (id, conversation_id, seq, role, status, created_at) VALUES ('m1', 'c1', 1, 'assistant', 'streaming', 0)`).run();
    for (let i = 0; i < 4; i++) await run([PAID], 'm1');
    expect(recorder.list({ messageId: 'm1' })).toHaveLength(4);
    const [latency] = recorder.latencyByModel(0);
    expect(latency).toMatchObject({ modelId: PAID, calls: 4 });
    expect(latency!.p95Ms).toBeGreaterThanOrEqual(latency!.p50Ms);
    expect(latency!.p50TtftMs).not.toBeNull();
    db.prepare(`DELETE FROM conversations WHERE id = 'c1'`).run();
    expect(recorder.list()).toHaveLength(4); // spend history outlives the conversation
    expect(recorder.list()[0]!.messageId).toBeNull();
  });
});
