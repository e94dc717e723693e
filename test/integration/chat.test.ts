import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope, Message } from '../../src/shared/contract';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { NOTHING_LISTENING_URL, createTestApp, waitFor, type TestApp } from '../helpers/app-harness';

let ollama: FakeOllama;
let harness: TestApp;

/** Generation requests only: the app also lists (/api/tags) and inspects (/api/show) models. */
const isGeneration = (r: { path: string }): boolean => r.path === '/api/chat' || r.path === '/api/generate';
const generating = (): number => ollama.requests.filter((r) => isGeneration(r) && r.endedAt === undefined).length;
const abortedGenerations = (): number => ollama.abortedRequests().filter(isGeneration).length;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B' }] });
});
afterAll(() => ollama.close());
afterEach(async () => {
  await harness?.close();
  ollama.setBehavior('*', {});
});

function collect(h: TestApp): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  h.app.events.subscribe((e) => events.push(e));
  return events;
}

async function finished(h: TestApp, id: string): Promise<Message> {
  await h.app.services.chat.idle();
  return h.app.services.messages.get(id)!;
}

describe('chat with a local Ollama model', () => {
  it('stores both rows before the model answers, streams deltas, and completes with usage', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    ollama.setBehavior('llama3.2:3b', { reply: 'Hello there, how can I help?', tokenDelayMs: 2 });
    const events = collect(harness);
    const { id } = await harness.app.call('conversations.create', {});
    const { userMessage, assistantMessage } = await harness.app.call('chat.send', { conversationId: id, content: 'hi', model: 'ollama/llama3.2:3b' });
    // Both rows exist as soon as send returns, before the reply is done.
    expect(harness.app.services.messages.get(userMessage.id)?.status).toBe('complete');
    expect(assistantMessage.status).toBe('streaming');

    const done = await finished(harness, assistantMessage.id);
    expect(done).toMatchObject({ status: 'complete', content: 'Hello there, how can I help?', modelId: 'ollama/llama3.2:3b' });
    expect(done.completionTokens).toBeGreaterThan(0);
    expect(done.promptTokens).toBeGreaterThan(0);
    expect(done.firstTokenAt).not.toBeNull();
    const deltas = events.filter((e) => e.event === 'chat.delta').map((e) => (e.payload as { text: string }).text);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(done.content);
    // The conversation took its title from the first message.
    expect(harness.app.services.conversations.get(id)?.title).toBe('hi');
    // The model saw the user's message.
    const sent = ollama.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { messages: { content: string }[] };
    expect(sent.messages.at(-1)?.content).toBe('hi');
  });

  it('sends earlier turns as context', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    const { id } = await harness.app.call('conversations.create', {});
    const first = await harness.app.call('chat.send', { conversationId: id, content: 'my name is Ada', model: 'ollama/llama3.2:3b' });
    await finished(harness, first.assistantMessage.id);
    await harness.app.call('chat.send', { conversationId: id, content: 'what is my name?', model: 'ollama/llama3.2:3b' });
    await harness.app.services.chat.idle();
    const body = ollama.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { messages: { role: string; content: string }[] };
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(body.messages[0]!.content).toBe('my name is Ada');
  });

  it('Stop aborts the HTTP request itself and keeps the partial text as cancelled', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    ollama.setBehavior('llama3.2:3b', { reply: 'one two three four five six seven eight nine ten', tokenDelayMs: 5, stallAfterTokens: 4 });
    const before = abortedGenerations();
    const { id } = await harness.app.call('conversations.create', {});
    const { assistantMessage } = await harness.app.call('chat.send', { conversationId: id, content: 'count', model: 'ollama/llama3.2:3b' });
    const events = collect(harness);
    await waitFor(() => events.filter((e) => e.event === 'chat.delta').length >= 4, 'four tokens');
    expect(await harness.app.call('chat.stop', { messageId: assistantMessage.id })).toEqual({ stopped: true });
    const done = await finished(harness, assistantMessage.id);
    expect(done.status).toBe('cancelled');
    expect(done.content).toBe('one two three four');
    await ollama.waitForIdle();
    expect(abortedGenerations()).toBe(before + 1);
    expect(await harness.app.call('chat.stop', { messageId: assistantMessage.id })).toEqual({ stopped: false });
  });

  it('Stop before the first token still aborts the request', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    ollama.setBehavior('llama3.2:3b', { firstTokenDelayMs: 5_000 });
    const before = abortedGenerations();
    const { id } = await harness.app.call('conversations.create', {});
    const { assistantMessage } = await harness.app.call('chat.send', { conversationId: id, content: 'slow', model: 'ollama/llama3.2:3b' });
    await waitFor(() => generating() > 0, 'request to reach Ollama');
    harness.app.services.chat.stop(assistantMessage.id);
    const done = await finished(harness, assistantMessage.id);
    expect(done).toMatchObject({ status: 'cancelled', content: '' });
    await ollama.waitForIdle();
    expect(abortedGenerations()).toBe(before + 1);
  });

  it('a mid-stream failure keeps the text received and marks the reply as an error', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    ollama.setBehavior('llama3.2:3b', { reply: 'alpha beta gamma delta epsilon', failAfterTokens: 3 });
    const { id } = await harness.app.call('conversations.create', {});
    const { assistantMessage } = await harness.app.call('chat.send', { conversationId: id, content: 'go', model: 'ollama/llama3.2:3b' });
    const done = await finished(harness, assistantMessage.id);
    expect(done.status).toBe('error');
    expect(done.content.length).toBeGreaterThan(0);
    expect('alpha beta gamma delta epsilon'.startsWith(done.content)).toBe(true);
    expect(done.error?.code).toMatch(/network|unavailable/);
  });

  it('a reply cut off by a failure can be continued on another model, keeping its text', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    ollama.addModel({ name: 'qwen2.5:7b' });
    ollama.setBehavior('llama3.2:3b', { reply: 'alpha beta gamma delta epsilon', failAfterTokens: 3 });
    ollama.setBehavior('qwen2.5:7b', { reply: ' and the rest.' });
    const { id } = await harness.app.call('conversations.create', {});
    const { assistantMessage } = await harness.app.call('chat.send', { conversationId: id, content: 'go', model: 'ollama/llama3.2:3b' });
    const cut = await finished(harness, assistantMessage.id);
    expect(cut.status).toBe('error');
    const partial = cut.content;
    expect(partial.length).toBeGreaterThan(0);

    await harness.app.call('chat.regenerate', { messageId: assistantMessage.id, model: 'ollama/qwen2.5:7b', continuePartial: true });
    const continued = await finished(harness, assistantMessage.id);
    expect(continued).toMatchObject({ status: 'complete', modelId: 'ollama/qwen2.5:7b', content: `${partial} and the rest.` });
    const sent = ollama.requests.filter((r) => r.path === '/api/chat' && r.model === 'qwen2.5:7b').at(-1)!.body as { messages: { role: string; content: string }[] };
    expect(sent.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(sent.messages[1]!.content).toBe(partial);
    expect(sent.messages[2]!.content).toMatch(/Continue it exactly where it stops/);
    // A complete reply cannot be "continued".
    const again = await harness.app.dispatch('chat.regenerate', { messageId: assistantMessage.id, continuePartial: true }, { transport: 'test' });
    expect(again).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    ollama.removeModel('qwen2.5:7b');
  });

  it("an in-band error line from Ollama is reported with Ollama's message", async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    ollama.setBehavior('llama3.2:3b', { reply: 'a b c d', midStreamError: { afterTokens: 2, message: 'llama runner process has terminated' } });
    const { id } = await harness.app.call('conversations.create', {});
    const { assistantMessage } = await harness.app.call('chat.send', { conversationId: id, content: 'go', model: 'ollama/llama3.2:3b' });
    const done = await finished(harness, assistantMessage.id);
    expect(done.status).toBe('error');
    expect(done.error?.message).toMatch(/llama runner process has terminated/);
  });

  it('a missing model is a model_not_found error that says how to pull it', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    const { id } = await harness.app.call('conversations.create', {});
    const { assistantMessage } = await harness.app.call('chat.send', { conversationId: id, content: 'hi', model: 'ollama/qwen2.5-coder:7b' });
    const done = await finished(harness, assistantMessage.id);
    expect(done.status).toBe('error');
    expect(done.error).toMatchObject({ code: 'model_not_found' });
    expect(done.error?.message).toContain('ollama pull qwen2.5-coder:7b');
  });

  it('Ollama not running is an unavailable error naming the host', async () => {
    const host = NOTHING_LISTENING_URL;
    harness = createTestApp({ ollamaUrl: host });
    const status = await harness.app.call('system.status', {});
    expect(status.ollama).toMatchObject({ reachable: false, host });
    const models = await harness.app.call('models.list', {});
    expect(models).toMatchObject({ models: [], ollama: { reachable: false } });
    const { id } = await harness.app.call('conversations.create', {});
    const { assistantMessage } = await harness.app.call('chat.send', { conversationId: id, content: 'hi', model: 'ollama/llama3.2:3b' });
    const done = await finished(harness, assistantMessage.id);
    expect(done.error).toMatchObject({ code: 'unavailable' });
    expect(done.error?.message).toContain(`Ollama is not running at ${host}`);
  });

  it('lists installed models as provider/model ids', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    const { models, ollama: status } = await harness.app.call('models.list', {});
    expect(status.reachable).toBe(true);
    expect(models).toEqual([expect.objectContaining({ id: 'ollama/llama3.2:3b', tier: 'local', provider: 'ollama', parameterSize: '3.2B' })]);
  });

  it('rejects bad input with a clear error and stores nothing', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    const { id } = await harness.app.call('conversations.create', {});
    const bad = await harness.app.dispatch('chat.send', { conversationId: id, content: '   ', model: 'ollama/llama3.2:3b' }, { transport: 'test' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('message must not be empty') } });
    const badModel = await harness.app.dispatch('chat.send', { conversationId: id, content: 'hi', model: 'llama3' }, { transport: 'test' });
    expect(badModel).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const unknownProvider = await harness.app.dispatch('chat.send', { conversationId: id, content: 'hi', model: 'nope/x' }, { transport: 'test' });
    expect(unknownProvider).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('Unknown provider "nope"') } });
    expect(harness.app.services.messages.listByConversation(id)).toEqual([]);
    const missing = await harness.app.dispatch('conversations.messages', { id: 'nope' }, { transport: 'test' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const unknown = await harness.app.dispatch('conversations.explode', {}, { transport: 'test' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // No stack traces cross the boundary.
    expect(JSON.stringify(bad)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a restart finds the conversation, and a reply cut by shutdown is kept and marked', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    ollama.setBehavior('llama3.2:3b', { reply: 'w1 w2 w3 w4 w5 w6', tokenDelayMs: 2, stallAfterTokens: 3 });
    const { id } = await harness.app.call('conversations.create', {});
    const { assistantMessage } = await harness.app.call('chat.send', { conversationId: id, content: 'tell me', model: 'ollama/llama3.2:3b' });
    const events = collect(harness);
    await waitFor(() => events.filter((e) => e.event === 'chat.delta').length >= 3, 'three tokens');
    const app = await harness.restart();
    const messages = await app.call('conversations.messages', { id });
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(messages[1]).toMatchObject({ id: assistantMessage.id, status: 'cancelled', content: 'w1 w2 w3' });
  });

  it('deleting a conversation stops its streaming reply first', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    ollama.setBehavior('llama3.2:3b', { reply: 'x y z', firstTokenDelayMs: 5_000 });
    const { id } = await harness.app.call('conversations.create', {});
    await harness.app.call('chat.send', { conversationId: id, content: 'q', model: 'ollama/llama3.2:3b' });
    await waitFor(() => generating() > 0, 'request in flight');
    expect(await harness.app.call('conversations.delete', { id })).toEqual({ deleted: true });
    expect(harness.app.services.conversations.get(id)).toBeNull();
  });
});
