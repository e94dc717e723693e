import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTO_MODEL_ID } from '../../src/main/answer';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { createTestApp, type TestApp } from '../helpers/app-harness';

/** Issue #11 through the app: ratings and a regenerate on a stronger model become labels; reset forgets. */
const GROQ = 'groq/llama-3.3-70b-versatile';
const QUESTION = 'Explain how a B-tree index speeds up range queries in Postgres';

let ollama: FakeOllama;
let groq: FakeOpenAI;
let h: TestApp;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'qwen2.5-coder:7b', family: 'qwen2', parameterSize: '7.6B' }] });
  ollama.setBehavior('qwen2.5-coder:7b', { reply: 'Sorted keys.' });
  groq = await startFakeOpenAI({ models: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'], apiKey: 'gsk_learning_test_1234' });
  groq.setBehavior('*', { reply: 'Groq: a range scan walks neighbouring leaves.' });
  h = createTestApp({ ollamaUrl: ollama.url, env: { GROQ_API_KEY: 'gsk_learning_test_1234', GROQ_BASE_URL: `${groq.url}/v1` } });
  // The dial at 0: the estimate always clears local, so only what was learnt moves a request up.
  await h.app.call('routing.updateConfig', { patch: { difficulty: { threshold: 0 } } });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([ollama?.close(), groq?.close()]);
});

async function ask(content: string) {
  const { id } = await h.app.call('conversations.create', {});
  const { assistantMessage } = await h.app.call('chat.send', { conversationId: id, content, model: AUTO_MODEL_ID });
  await h.app.services.chat.idle();
  return h.app.services.messages.get(assistantMessage.id)!;
}

describe('learning from outcomes through the app (issue #11)', () => {
  it('a rating is a label, a second rating replaces the first, and forgetting clears them', async () => {
    const reply = await ask(QUESTION);
    expect(reply).toMatchObject({ status: 'complete', tier: 'local' });
    expect(await h.app.call('routing.feedback', { messageId: reply.id, verdict: 'good' })).toEqual({ verdict: 'good', learned: true });
    expect(await h.app.call('routing.feedback', { messageId: reply.id, verdict: 'bad' })).toEqual({ verdict: 'bad', learned: true });
    expect(await h.app.call('routing.learning', {})).toEqual({ outcomes: 1 });
    expect(h.app.services.routing.outcomes.verdictOf(reply.id)).toBe('bad');
    const preview = await h.app.call('routing.preview', { content: `${QUESTION}, briefly` });
    expect(preview.reasons).toContain('1 similar request was rated a bad answer on local: starting at free.');
    await expect(h.app.call('routing.feedback', { messageId: 'no-such-message', verdict: 'bad' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await h.app.call('routing.forgetLearning', {})).toEqual({ forgotten: 1 });
    expect(await h.app.call('routing.learning', {})).toEqual({ outcomes: 0 });

    // With "Learn from outcomes" off, a rating is refused and nothing is kept for later.
    const before = h.app.services.routing.config().difficulty!;
    await h.app.call('routing.updateConfig', { patch: { difficulty: { ...before, learnFromOutcomes: false } } });
    try {
      await expect(h.app.call('routing.feedback', { messageId: reply.id, verdict: 'bad' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/Learning from outcomes is off/) });
      expect(await h.app.call('routing.learning', {})).toEqual({ outcomes: 0 });
    } finally {
      await h.app.call('routing.updateConfig', { patch: { difficulty: before } });
    }
  });

  it('"Regenerate" on a stronger model teaches that similar requests need it; on Auto it teaches nothing', async () => {
    const reply = await ask('Explain the difference between a clustered and a non-clustered index in SQL Server');
    expect(reply).toMatchObject({ status: 'complete', tier: 'local' });
    await h.app.call('chat.regenerate', { messageId: reply.id, model: AUTO_MODEL_ID });
    await h.app.services.chat.idle();
    expect(h.app.services.routing.outcomes.count()).toBe(0);

    await h.app.call('chat.regenerate', { messageId: reply.id, model: GROQ });
    await h.app.services.chat.idle();
    expect(h.app.services.messages.get(reply.id)).toMatchObject({ status: 'complete', modelId: GROQ });
    expect(h.app.services.routing.outcomes.count()).toBe(1);
    const similar = 'Explain the difference between a clustered and a non-clustered index in SQL Server, please';
    const preview = await h.app.call('routing.preview', { content: similar });
    expect(preview.startFloor).toEqual({ tier: 'free', reason: '1 similar request was regenerated on a stronger model on local' });
    expect(preview.model).toBe(GROQ);
    // Chat makes the same decision: the similar request is answered on Groq first.
    expect(await ask(similar)).toMatchObject({ status: 'complete', modelId: GROQ, escalations: 0 });
  });

  it('a rating on a regenerated version learns the request that version answered, not a later turn', async () => {
    const { id } = await h.app.call('conversations.create', {});
    const first = await h.app.call('chat.send', { conversationId: id, content: 'Summarise the causes of the French Revolution in detail', model: AUTO_MODEL_ID });
    await h.app.services.chat.idle();
    await h.app.call('chat.send', { conversationId: id, content: 'Now list three good books on it', model: AUTO_MODEL_ID });
    await h.app.services.chat.idle();
    const { assistantMessage: version } = await h.app.call('chat.regenerate', { messageId: first.assistantMessage.id, asVersion: true });
    await h.app.services.chat.idle();
    expect(h.app.services.routing.outcomes.requestBefore(version.id)).toBe('Summarise the causes of the French Revolution in detail');
    await h.app.call('routing.forgetLearning', {});
  });
});
