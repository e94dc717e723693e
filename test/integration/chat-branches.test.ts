import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/contract';
import { visibleBranch } from '../../src/shared/chat-branch';
import { AUTO_MODEL_ID, LOCAL_MODEL_ID } from '../../src/main/answer';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { createTestApp, type TestApp } from '../helpers/app-harness';

const LOCAL = 'ollama/llama3.2:3b';
const GROQ = 'groq/llama-3.3-70b-versatile';

let ollama: FakeOllama;
let groq: FakeOpenAI;
let h: TestApp;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B' }] });
  groq = await startFakeOpenAI({ models: ['llama-3.3-70b-versatile'], apiKey: 'gsk_branches_test_1234' });
});
afterAll(async () => {
  await Promise.all([ollama.close(), groq.close()]);
});
beforeEach(() => {
  // Each reply names the last thing the model was asked, so a test can see which context it got.
  ollama.setBehavior('llama3.2:3b', { reply: ({ messages }) => `local: ${String(messages.at(-1)?.content)}` });
  groq.clearBehavior();
  groq.setBehavior('*', { reply: ({ messages }) => `groq: ${String(messages.at(-1)?.content)}` });
  h = createTestApp({ ollamaUrl: ollama.url, env: { GROQ_API_KEY: 'gsk_branches_test_1234', GROQ_BASE_URL: `${groq.url}/v1` } });
});
afterEach(async () => {
  await h.close();
});

const groqCalls = (): number => groq.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
/** What the model was sent for the last local call, as "role: text" lines. */
function lastLocalContext(): string[] {
  const body = ollama.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { messages: { role: string; content: string }[] };
  return body.messages.map((m) => `${m.role}: ${m.content}`);
}
async function settle(): Promise<Message[]> {
  await h.app.services.chat.idle();
  return h.app.services.messages.listByConversation(conversationId);
}
let conversationId = '';
async function start(model: string = LOCAL): Promise<void> {
  conversationId = (await h.app.call('conversations.create', { model })).id;
}
async function say(content: string): Promise<{ user: Message; reply: Message }> {
  const { userMessage, assistantMessage } = await h.app.call('chat.send', { conversationId, content });
  await settle();
  return { user: userMessage, reply: h.app.services.messages.get(assistantMessage.id)! };
}
const shown = (list: Message[]): string[] => visibleBranch(list).map((m) => `${m.role}: ${m.content}`);

describe('versions as branches: what the model is sent is the branch shown', () => {
  it('an edit is a new version of the turn; the context is its branch only, and the old one comes back', async () => {
    await start();
    await say('one');
    const second = await say('two');
    await say('three');
    const { userMessage } = await h.app.call('chat.edit', { messageId: second.user.id, content: 'TWO' });
    let all = await settle();
    expect(shown(all)).toEqual(['user: one', 'assistant: local: one', 'user: TWO', 'assistant: local: TWO']);
    // The edited turn is answered with the turns before it and nothing of the old branch.
    expect(lastLocalContext()).toEqual(['user: one', 'assistant: local: one', 'user: TWO']);

    // Continuing goes on from the version shown.
    await say('four');
    expect(lastLocalContext()).toEqual(['user: one', 'assistant: local: one', 'user: TWO', 'assistant: local: TWO', 'user: four']);

    // Back to the first version: its whole continuation is shown again, and a new turn follows it.
    all = await h.app.call('chat.showVersion', { messageId: second.user.id });
    expect(shown(all)).toEqual(['user: one', 'assistant: local: one', 'user: two', 'assistant: local: two', 'user: three', 'assistant: local: three']);
    await say('five');
    expect(lastLocalContext()).toEqual(['user: one', 'assistant: local: one', 'user: two', 'assistant: local: two', 'user: three', 'assistant: local: three', 'user: five']);
    // And forward again: the edited branch kept its own continuation.
    all = await h.app.call('chat.showVersion', { messageId: userMessage.id });
    expect(shown(all).slice(2)).toEqual(['user: TWO', 'assistant: local: TWO', 'user: four', 'assistant: local: four']);
  });

  it('showing a message deep in a hidden branch (a search hit) shows its whole branch', async () => {
    await start();
    await say('one');
    const second = await say('two');
    const third = await say('three');
    await h.app.call('chat.edit', { messageId: second.user.id, content: 'TWO' });
    expect(shown(await settle())).toEqual(['user: one', 'assistant: local: one', 'user: TWO', 'assistant: local: TWO']);
    const all = await h.app.call('chat.showVersion', { messageId: third.reply.id });
    expect(shown(all)).toEqual(['user: one', 'assistant: local: one', 'user: two', 'assistant: local: two', 'user: three', 'assistant: local: three']);
  });

  it('a regenerate as a version keeps the old reply; the next turn is sent the reply shown', async () => {
    await start();
    ollama.setBehavior('llama3.2:3b', { reply: 'first answer' });
    const { reply } = await say('question');
    ollama.setBehavior('llama3.2:3b', { reply: 'second answer' });
    const { assistantMessage } = await h.app.call('chat.regenerate', { messageId: reply.id, asVersion: true });
    expect(assistantMessage.id).not.toBe(reply.id);
    let all = await settle();
    expect(h.app.services.messages.get(reply.id)).toMatchObject({ content: 'first answer', active: false });
    expect(shown(all)).toEqual(['user: question', 'assistant: second answer']);
    // The regenerated reply was sent the same context as the first (not the old answer).
    expect(lastLocalContext()).toEqual(['user: question']);

    await h.app.call('chat.showVersion', { messageId: reply.id });
    await say('and then?');
    expect(lastLocalContext()).toEqual(['user: question', 'assistant: first answer', 'user: and then?']);
    all = await settle();
    expect(all).toHaveLength(5);
  });

  it('a deleted message leaves the context; what followed it stays', async () => {
    await start();
    const a = await say('alpha');
    await say('beta');
    const list = await h.app.call('chat.deleteMessage', { messageId: a.reply.id });
    expect(shown(list)).toEqual(['user: alpha', 'user: beta', 'assistant: local: beta']);
    await say('gamma');
    expect(lastLocalContext()).toEqual(['user: alpha', 'user: beta', 'assistant: local: beta', 'user: gamma']);
    await h.app.call('chat.deleteMessage', { messageId: a.user.id });
    await say('delta');
    expect(lastLocalContext()[0]).toBe('user: beta');
    await expect(h.app.call('chat.deleteMessage', { messageId: a.user.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('deleting a version that is not shown keeps the branch shown; deleting the one shown shows another', async () => {
    await start();
    const q = await say('q');
    const { assistantMessage: v2 } = await h.app.call('chat.regenerate', { messageId: q.reply.id, asVersion: true });
    await settle();
    let all = await h.app.call('chat.deleteMessage', { messageId: q.reply.id });
    expect(visibleBranch(all).map((m) => m.id)).toEqual([q.user.id, v2.id]);
    all = await h.app.call('chat.deleteMessage', { messageId: v2.id });
    expect(visibleBranch(all).map((m) => m.id)).toEqual([q.user.id]);
  });

  it('per-chat settings reach the provider: system prompt first, temperature and max reply length', async () => {
    await start();
    await h.app.call('conversations.update', { id: conversationId, chatSettings: { systemPrompt: 'Answer like a pirate.', temperature: 0.9, maxTokens: 321 } });
    await say('hello');
    const body = ollama.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { messages: { role: string; content: string }[]; options?: { temperature?: number; num_predict?: number } };
    expect(body.messages[0]).toEqual({ role: 'system', content: 'Answer like a pirate.' });
    expect(body.options?.temperature).toBe(0.9);
    expect(body.options?.num_predict).toBe(321);
  });
});

describe('the model choice is the conversation’s', () => {
  it('is stored with the conversation and used when the caller sends none; a new chat starts from the default', async () => {
    await h.app.call('settings.update', { defaultModel: LOCAL_MODEL_ID });
    const c = await h.app.call('conversations.create', {});
    expect(c.model).toBe(LOCAL_MODEL_ID);
    conversationId = c.id;
    await say('hi');
    expect(groqCalls()).toBe(0);
    // The default changing later does not change a conversation that has its own choice.
    await h.app.call('settings.update', { defaultModel: GROQ });
    expect(h.app.services.conversations.get(c.id)?.model).toBe(LOCAL_MODEL_ID);
    expect((await h.app.call('conversations.create', {})).model).toBe(GROQ);
  });

  it('Local only never leaves this computer: no model, a stale cloud model, a regenerate or an edit', async () => {
    await start(LOCAL_MODEL_ID);
    const first = await say('private question');
    expect(first.reply).toMatchObject({ status: 'complete', modelId: LOCAL });

    // A stale renderer (or a script) naming a cloud model is refused and nothing is stored.
    const before = h.app.services.messages.listByConversation(conversationId).length;
    await expect(h.app.call('chat.send', { conversationId, content: 'leak?', model: GROQ })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/Local only/) });
    await expect(h.app.call('chat.send', { conversationId, content: 'leak?', model: AUTO_MODEL_ID })).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.app.call('chat.regenerate', { messageId: first.reply.id, model: GROQ })).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.app.call('chat.regenerate', { messageId: first.reply.id, model: GROQ, asVersion: true })).rejects.toMatchObject({ code: 'conflict' });
    expect(h.app.services.messages.listByConversation(conversationId)).toHaveLength(before);
    expect(h.app.services.conversations.get(conversationId)?.model).toBe(LOCAL_MODEL_ID);

    // Regenerate, edit and a local model named for one turn all stay local; the choice stays Local only.
    await h.app.call('chat.regenerate', { messageId: first.reply.id, asVersion: true });
    await settle();
    await h.app.call('chat.edit', { messageId: first.user.id, content: 'private question, edited' });
    await settle();
    await h.app.call('chat.send', { conversationId, content: 'one turn on a named local model', model: LOCAL });
    await settle();
    expect(h.app.services.conversations.get(conversationId)?.model).toBe(LOCAL_MODEL_ID);
    expect(groqCalls()).toBe(0);

    // Only the user's explicit change of the conversation's model lets it go to the cloud.
    await h.app.call('conversations.update', { id: conversationId, model: GROQ });
    await say('now in the cloud');
    expect(groqCalls()).toBe(1);
  });

  it('a model named by the caller becomes the conversation’s choice (not Local only)', async () => {
    await start(AUTO_MODEL_ID);
    await h.app.call('chat.send', { conversationId, content: 'hi', model: LOCAL });
    await settle();
    expect(h.app.services.conversations.get(conversationId)?.model).toBe(LOCAL);
    // A regenerate on another model answers that reply only.
    const reply = visibleBranch(h.app.services.messages.listByConversation(conversationId)).at(-1)!;
    await h.app.call('chat.regenerate', { messageId: reply.id, model: GROQ, asVersion: true });
    await settle();
    expect(h.app.services.conversations.get(conversationId)?.model).toBe(LOCAL);
  });

  it('an unknown provider is refused when the conversation is set to it', async () => {
    await start();
    await expect(h.app.call('conversations.update', { id: conversationId, model: 'nosuch/model' })).rejects.toMatchObject({ code: expect.any(String) });
    expect(h.app.services.conversations.get(conversationId)?.model).toBe(LOCAL);
  });
});

describe('presets and the prompt library', () => {
  it('saves, replaces by name, lists and deletes; bad input is refused with a clear error', async () => {
    const saved = await h.app.call('chat.savePreset', { name: 'Private', model: LOCAL_MODEL_ID, chatSettings: { systemPrompt: 'Be brief.', temperature: 0.2 } });
    await h.app.call('chat.savePreset', { name: 'Private', model: LOCAL_MODEL_ID, chatSettings: { temperature: 0.5 } });
    expect(await h.app.call('chat.presets', {})).toEqual([{ ...saved, chatSettings: { temperature: 0.5 } }]);
    await expect(h.app.call('chat.savePreset', { name: ' ', model: null, chatSettings: {} })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(h.app.call('chat.savePreset', { name: 'Hot', model: null, chatSettings: { temperature: 9 } })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/temperature/) });
    expect(await h.app.call('chat.deletePreset', { id: saved.id })).toEqual({ deleted: true });
    expect(await h.app.call('chat.presets', {})).toEqual([]);

    const prompt = await h.app.call('chat.savePrompt', { name: 'Summarise', text: 'Summarise in three bullets.' });
    expect(await h.app.call('chat.prompts', {})).toEqual([prompt]);
    expect(await h.app.call('chat.deletePrompt', { id: prompt.id })).toEqual({ deleted: true });
    expect(await h.app.call('chat.deletePrompt', { id: prompt.id })).toEqual({ deleted: false });
  });
});
