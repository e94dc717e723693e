import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AUTO_MODEL_ID } from '../../src/main/answer';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { createTestApp, type TestApp } from '../helpers/app-harness';
import { RTX_4060_TI_FIXTURE } from '../helpers/setup-fixtures';

// Issue #13: what the setup wizard installed is what Auto uses, by the request's role.
const CODE = 'Write a Python function that parses an ISO date and returns the weekday, with tests.';
const QUESTION = 'What is the capital of France?';

let ollama: FakeOllama;
let h: TestApp;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [] });
  ollama.setBehavior('*', { reply: 'Done.' });
});
afterAll(() => ollama.close());
afterEach(async () => {
  await h?.close();
  for (const name of ['qwen2.5-coder:14b', 'gemma3:12b', 'nomic-embed-text:latest', 'llama3.2:3b', 'qwen2.5-coder:7b', 'granite-sparse:1b']) ollama.removeModel(name);
});

function install(...names: string[]): void {
  const specs: Record<string, Parameters<FakeOllama['addModel']>[0]> = {
    'qwen2.5-coder:14b': { name: 'qwen2.5-coder:14b', family: 'qwen2', parameterSize: '14.8B', sizeBytes: 8_988_110_976, contextLength: 32_768 },
    'gemma3:12b': { name: 'gemma3:12b', family: 'gemma3', parameterSize: '12.2B', sizeBytes: 8_149_190_253, contextLength: 131_072 },
    'nomic-embed-text': { name: 'nomic-embed-text', embedding: true, parameterSize: '137M' },
    'llama3.2:3b': { name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B', sizeBytes: 2_019_393_189 },
    'qwen2.5-coder:7b': { name: 'qwen2.5-coder:7b', family: 'qwen2', parameterSize: '7.6B', sizeBytes: 4_683_087_332, contextLength: 32_768 },
    // An embedding model whose name and family do not say so: only /api/show's capabilities do.
    'granite-sparse:1b': { name: 'granite-sparse:1b', family: 'granite', parameterSize: '1.1B', embedding: true, capabilities: ['embedding'] },
  };
  for (const n of names) ollama.addModel(specs[n]!);
}

function app(): TestApp {
  h = createTestApp({ ollamaUrl: ollama.url, env: { SWITCHBOARD_HARDWARE_FIXTURE: RTX_4060_TI_FIXTURE } });
  return h;
}

describe('Auto picks the installed model of the request role', () => {
  it('the wizard installed a 14B coder and gemma3:12b: code goes to the coder, questions to gemma, offline', async () => {
    install('gemma3:12b', 'qwen2.5-coder:14b', 'nomic-embed-text');
    const t = app();
    await t.app.call('settings.update', { offlineMode: true });
    const code = await t.app.call('routing.preview', { content: CODE, model: AUTO_MODEL_ID });
    expect(code.model).toBe('ollama/qwen2.5-coder:14b');
    // No uninstalled default is proposed while an installed coder exists; an embedding model never is.
    expect(code.candidates.map((c) => c.model)).not.toContain('ollama/qwen2.5-coder:7b');
    expect(code.candidates.map((c) => c.model)).not.toContain('ollama/nomic-embed-text:latest');
    const question = await t.app.call('routing.preview', { content: QUESTION, model: AUTO_MODEL_ID });
    expect(question.model).toBe('ollama/gemma3:12b');

    // Sent, the reply comes from that model.
    const { id } = await t.app.call('conversations.create', {});
    const { assistantMessage } = await t.app.call('chat.send', { conversationId: id, content: CODE, model: AUTO_MODEL_ID });
    await t.app.services.chat.idle();
    expect(t.app.services.messages.get(assistantMessage.id)).toMatchObject({ status: 'complete', modelId: 'ollama/qwen2.5-coder:14b' });
  });

  it('a model Ollama says only embeds is never a candidate, whatever its name', async () => {
    install('llama3.2:3b', 'granite-sparse:1b');
    const t = app();
    const d = await t.app.call('routing.preview', { content: QUESTION, model: 'switchboard/local' });
    expect(d.model).toBe('ollama/llama3.2:3b');
    expect(d.candidates.map((c) => c.model)).not.toContain('ollama/granite-sparse:1b');
  });

  it('a role set in Settings wins over the catalog ranking', async () => {
    install('gemma3:12b', 'llama3.2:3b');
    const t = app();
    await t.app.call('settings.update', { offlineMode: true, localRoles: { chat: 'llama3.2:3b' } });
    expect((await t.app.call('routing.preview', { content: QUESTION, model: AUTO_MODEL_ID })).model).toBe('ollama/llama3.2:3b');
    await expect(t.app.call('settings.update', { localRoles: { writer: 'x' } as never })).rejects.toThrow();
  });

  it('with no coder installed the best installed model answers, and the decision suggests the pull', async () => {
    install('gemma3:12b', 'llama3.2:3b');
    const t = app();
    await t.app.call('settings.update', { offlineMode: true });
    const d = await t.app.call('routing.preview', { content: CODE, model: AUTO_MODEL_ID });
    expect(d.model).toBe('ollama/gemma3:12b');
    expect(d.reasons.join(' ')).toMatch(/No coder model is installed, so ollama\/gemma3:12b answers instead; for better code, pull (qwen2\.5-coder:\S+) \(ollama pull \1\)\./);
  });

  it('with only the default installed nothing changes', async () => {
    install('qwen2.5-coder:7b');
    const t = app();
    await t.app.call('settings.update', { offlineMode: true });
    const d = await t.app.call('routing.preview', { content: QUESTION, model: AUTO_MODEL_ID });
    expect(d).toMatchObject({ model: 'ollama/qwen2.5-coder:7b', chain: ['ollama/qwen2.5-coder:7b'] });
  });
});
