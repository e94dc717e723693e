import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/contract';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { createTestApp, waitFor, type TestApp } from '../helpers/app-harness';

const LLAMA = 'ollama/llama3.2:3b';
const QWEN = 'ollama/qwen2.5-coder:7b';
const EMBED = { name: 'nomic-embed-text:latest', embedding: true, parameterSize: '137M' };
const PROMPT = 'how do I enable the dark mode setting in the preferences window of the app';
const PARAPHRASE = 'how can I enable the dark mode setting in the preferences window of the app?';

let ollama: FakeOllama;
let h: TestApp;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [EMBED, { name: 'qwen2.5-coder:7b', family: 'qwen2' }, { name: 'llama3.2:3b', family: 'llama' }] });
});
afterAll(() => ollama.close());
beforeEach(() => {
  let n = 0;
  ollama.setBehavior('*', { reply: () => `Answer number ${++n}.` });
  h = createTestApp({ ollamaUrl: ollama.url });
});
afterEach(async () => {
  await h.close();
  ollama.setBehavior('*', {});
});

const chats = () => ollama.requests.filter((r) => r.path === '/api/chat').length;

async function ask(content: string, model = LLAMA, conversationId?: string): Promise<Message> {
  const id = conversationId ?? (await h.app.call('conversations.create', {})).id;
  const { assistantMessage } = await h.app.call('chat.send', { conversationId: id, content, model });
  await h.app.services.chat.idle();
  return h.app.services.messages.get(assistantMessage.id)!;
}

describe('the response cache in chat', () => {
  it('serves the same question again from the cache at once, marked, without a model call', async () => {
    const first = await ask(PROMPT);
    expect(first).toMatchObject({ status: 'complete', content: 'Answer number 1.', cached: null });
    const sent = ollama.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { options: { temperature: number } };
    expect(sent.options.temperature).toBe(0.3); // Settings' chatTemperature, the default
    const calls = chats();
    const second = await ask(PROMPT);
    expect(second).toMatchObject({ status: 'complete', content: 'Answer number 1.', modelId: LLAMA, cached: { kind: 'exact', similarity: null, savedUsd: 0 } });
    expect(chats()).toBe(calls);
    // The mark survives a reload of the conversation.
    expect((await h.app.call('conversations.messages', { id: second.conversationId })).at(-1)!.cached).toMatchObject({ kind: 'exact' });
    expect(await h.app.call('cache.stats', {})).toMatchObject({ entries: 1, hits: 1, misses: 1, hitRate: 0.5 });
  });

  it('serves a paraphrase by meaning, and misses a negation or the opposite question', async () => {
    await ask(PROMPT);
    const paraphrase = await ask(PARAPHRASE);
    expect(paraphrase.content).toBe('Answer number 1.');
    expect(paraphrase.cached).toMatchObject({ kind: 'semantic', similarity: expect.any(Number) });
    expect(paraphrase.cached!.similarity!).toBeGreaterThanOrEqual(0.92);
    expect(ollama.requests.some((r) => r.path === '/api/embed' && r.model === EMBED.name)).toBe(true);

    const negated = await ask('how do I not enable the dark mode setting in the preferences window of the app');
    expect(negated).toMatchObject({ content: 'Answer number 2.', cached: null });
    const opposite = await ask('how do I disable the dark mode setting in the preferences window of the app');
    expect(opposite).toMatchObject({ content: 'Answer number 3.', cached: null });
  });

  it('keys on the model chosen: the same question to another model is a miss', async () => {
    await ask(PROMPT, LLAMA);
    expect((await ask(PROMPT, QWEN)).cached).toBeNull();
    expect((await ask(PROMPT, 'switchboard/auto')).cached).toBeNull();
    expect((await ask(PROMPT, 'switchboard/auto')).cached).toMatchObject({ kind: 'exact' });
  });

  it('stores only reusable answers: not at a sampling temperature', async () => {
    h.app.services.settings.update({ chatTemperature: 0.9 });
    await ask(PROMPT);
    const again = await ask(PROMPT);
    expect(again).toMatchObject({ content: 'Answer number 2.', cached: null });
    expect((await h.app.call('cache.stats', {})).entries).toBe(0);
  });

  it('a conversation that opts out neither uses nor fills the cache', async () => {
    await ask(PROMPT);
    const { id } = await h.app.call('conversations.create', {});
    expect(await h.app.call('conversations.update', { id, cacheOptOut: true })).toMatchObject({ id, cacheOptOut: true });
    expect((await ask(PROMPT, LLAMA, id)).cached).toBeNull();
    expect((await ask('a question asked only here', LLAMA, id)).cached).toBeNull();
    expect((await ask('a question asked only here')).cached).toBeNull();
  });

  it('"Ask again without cache" answers the same turn afresh in place of the cached reply', async () => {
    await ask(PROMPT);
    const cached = await ask(PROMPT);
    expect(cached.cached).not.toBeNull();
    const calls = chats();
    const { assistantMessage } = await h.app.call('chat.regenerate', { messageId: cached.id, bypassCache: true });
    expect(assistantMessage).toMatchObject({ id: cached.id, status: 'streaming', content: '', cached: null });
    await h.app.services.chat.idle();
    const fresh = h.app.services.messages.get(cached.id)!;
    expect(fresh).toMatchObject({ status: 'complete', content: 'Answer number 2.', cached: null, modelId: LLAMA });
    expect(chats()).toBe(calls + 1);
    const body = ollama.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { messages: Array<{ content: string }> };
    expect(body.messages.map((m) => m.content)).toEqual([PROMPT]);
    // One user turn, one reply: the row was replaced, not followed.
    expect((await h.app.call('conversations.messages', { id: cached.conversationId })).map((m) => m.role)).toEqual(['user', 'assistant']);
    // The fresh answer replaced the old one in the cache as well.
    expect((await ask(PROMPT)).content).toBe('Answer number 2.');
  });

  it('drops the answers of a model that is deleted, or re-pulled under another digest', async () => {
    await ask(PROMPT, QWEN);
    await ask(PROMPT, LLAMA);
    expect((await h.app.call('cache.stats', {})).entries).toBe(2);
    await h.app.call('localModels.delete', { model: 'qwen2.5-coder:7b' });
    await waitFor(() => h.app.services.cache.service.stats().entries === 1, 'the deleted model’s answers to go');

    ollama.removeModel('llama3.2:3b');
    ollama.addModel({ name: 'llama3.2:3b', family: 'llama', digest: 'a'.repeat(64) });
    h.app.events.emit('localModels.changed', { model: 'llama3.2:3b', change: 'pulled' });
    await waitFor(() => h.app.services.cache.service.stats().entries === 0, 'the re-pulled model’s answers to go');
    expect((await ask(PROMPT, LLAMA)).cached).toBeNull();
    ollama.addModel({ name: 'qwen2.5-coder:7b', family: 'qwen2' });
    ollama.removeModel('llama3.2:3b');
    ollama.addModel({ name: 'llama3.2:3b', family: 'llama' });
  });

  it('says in Settings when no embedding model is installed, and picks one up once it is pulled', async () => {
    ollama.removeModel(EMBED.name);
    try {
      await h.app.services.cache.sync.refresh(true);
      const { status } = await h.app.call('cache.status', {});
      expect(status).toMatchObject({ exact: 'ready', semantic: 'unavailable', embeddingModel: null, reason: expect.stringMatching(/pull nomic-embed-text/) });
      await ask(PROMPT);
      expect((await ask(PARAPHRASE)).cached).toBeNull(); // exact only
      expect((await ask(PROMPT)).cached).toMatchObject({ kind: 'exact' });
    } finally {
      ollama.addModel(EMBED);
    }
    h.app.events.emit('localModels.changed', { model: EMBED.name, change: 'pulled' });
    await waitFor(() => h.app.services.cache.sync.embeddingModel === EMBED.name, 'the embedding model to be picked');
    expect((await h.app.call('cache.status', {})).status).toMatchObject({ semantic: 'ready', embeddingModel: EMBED.name, reason: null });
  });

  it('applies Settings → Cache at once: off means every reply comes from a model', async () => {
    await ask(PROMPT);
    h.app.services.settings.update({ cache: { enabled: false } });
    expect((await ask(PROMPT)).cached).toBeNull();
    expect((await h.app.call('cache.status', {})).status).toMatchObject({ enabled: false, exact: 'disabled' });
    h.app.services.settings.update({ cache: {} });
    expect((await ask(PROMPT)).cached).toMatchObject({ kind: 'exact' });
    expect(await h.app.call('cache.clear', { resetStats: true })).toEqual({ cleared: 1 });
    expect(await h.app.call('cache.stats', {})).toMatchObject({ entries: 0, hits: 0, misses: 0 });
  });
});
