import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/contract';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { createTestApp, type TestApp } from '../helpers/app-harness';

const AUTO = 'switchboard/auto';
const LOCAL = 'ollama/qwen2.5-coder:7b';
const VALIDATOR = 'ollama/deepseek-coder:6.7b';
const GROQ = 'groq/llama-3.3-70b-versatile';

let ollama: FakeOllama;
let groq: FakeOpenAI;
let deepseek: FakeOpenAI;
let h: TestApp;

beforeAll(async () => {
  ollama = await startFakeOllama({
    models: [
      { name: 'qwen2.5-coder:7b', family: 'qwen2', parameterSize: '7.6B' },
      { name: 'deepseek-coder:6.7b', family: 'llama', parameterSize: '6.7B' },
    ],
  });
  groq = await startFakeOpenAI({ models: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'], apiKey: 'gsk_purpose_test_1234' });
  deepseek = await startFakeOpenAI({ models: ['deepseek-chat'], apiKey: 'sk-deepseek-purpose-1234' });
  ollama.setBehavior('deepseek-coder:6.7b', { reply: '{"score": 0.95, "issues": ""}' });
  groq.setBehavior('*', { reply: 'Groq says: Rome is the capital of Italy.', usage: { promptTokens: 40, completionTokens: 9 } });
  deepseek.setBehavior('deepseek-chat', { reply: 'A paid answer.', usage: { promptTokens: 2_000, completionTokens: 500 } });
  h = createTestApp({
    ollamaUrl: ollama.url,
    env: { GROQ_API_KEY: 'gsk_purpose_test_1234', GROQ_BASE_URL: `${groq.url}/v1`, DEEPSEEK_API_KEY: 'sk-deepseek-purpose-1234', DEEPSEEK_BASE_URL: `${deepseek.url}/v1` },
  });
  // The local validator scores every reply that passed the other gates: one more call, with its own purpose.
  // The seed's length rules route here (the difficulty dial, issue #11, is tested on its own).
  await h.app.call('routing.updateConfig', { patch: { validation: { useValidatorModel: true }, localModels: { validator: VALIDATOR }, difficulty: { enabled: false } } });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([ollama?.close(), groq?.close(), deepseek?.close()]);
});

async function ask(model: string, content: string): Promise<Message> {
  const { id } = await h.app.call('conversations.create', {});
  const { assistantMessage } = await h.app.call('chat.send', { conversationId: id, content, model });
  await h.app.services.chat.idle();
  return h.app.services.messages.get(assistantMessage.id)!;
}

describe('every model call is recorded with its purpose (issue #10)', () => {
  it('chat turns against the fakes leave no `calls` row without a purpose, and the dashboard splits cost by it', async () => {
    ollama.setBehavior('qwen2.5-coder:7b', { reply: 'Paris.' });
    expect(await ask(AUTO, 'What is the capital of France?')).toMatchObject({ status: 'complete', modelId: LOCAL });
    ollama.setBehavior('qwen2.5-coder:7b', { reply: "I can't help with that." });
    expect(await ask(AUTO, 'What is the capital of Italy?')).toMatchObject({ status: 'complete', modelId: GROQ, escalations: 1 });
    const paid = await ask('deepseek/deepseek-chat', 'Summarise our plan in one line');
    expect(paid).toMatchObject({ status: 'complete', modelId: 'deepseek/deepseek-chat' });

    const calls = h.app.services.calls.list({ limit: 100 });
    expect(calls.length).toBeGreaterThanOrEqual(5);
    expect(calls.filter((c) => c.purpose === 'other')).toEqual([]);
    const purposeOf = (model: string) => [...new Set(calls.filter((c) => c.modelId === model).map((c) => c.purpose))];
    expect(purposeOf(LOCAL)).toEqual(['chat']);
    expect(purposeOf(GROQ)).toEqual(['escalation']);
    expect(purposeOf('deepseek/deepseek-chat')).toEqual(['chat']);
    expect(purposeOf(VALIDATOR)).toEqual(['router.validate']);

    const d = await h.app.call('metrics.dashboard', { days: 1 });
    expect(d.byPurpose.map((p) => p.purpose).sort()).toEqual(['chat', 'escalation', 'router.validate']);
    expect(d.byPurpose[0]).toMatchObject({ purpose: 'chat', calls: 3, inputTokens: expect.any(Number) });
    expect(d.byPurpose[0]!.costUsd).toBeCloseTo(paid.costUsd!, 12);
    expect(d.byPurpose.reduce((n, p) => n + p.calls, 0)).toBe(calls.length);
  });
});
