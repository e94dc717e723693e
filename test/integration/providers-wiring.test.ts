import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/contract';
import { startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { createTestApp, type TestApp } from '../helpers/app-harness';
import { cli } from '../helpers/cli-harness';
import { tempDir } from '../helpers/app-harness';

let groq: FakeOpenAI;
let deepseek: FakeOpenAI;
let lmstudio: FakeOpenAI;
let anthropic: FakeAnthropic;
let h: TestApp;

beforeAll(async () => {
  groq = await startFakeOpenAI({ models: ['llama-3.1-8b-instant', 'llama-3.3-70b-versatile'], apiKey: 'gsk_test_key_123456' });
  deepseek = await startFakeOpenAI({ models: ['deepseek-chat'], apiKey: 'sk-deepseek-test-123456' });
  lmstudio = await startFakeOpenAI({ models: ['qwen2.5-7b-instruct'], apiKey: null });
  anthropic = await startFakeAnthropic({ models: ['claude-haiku-4-5'], apiKey: 'sk-ant-test-12345678' });
});
afterAll(async () => {
  await Promise.all([groq.close(), deepseek.close(), lmstudio.close(), anthropic.close()]);
});
afterEach(async () => {
  await h?.close();
});

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    GROQ_API_KEY: 'gsk_test_key_123456',
    GROQ_BASE_URL: `${groq.url}/v1`,
    DEEPSEEK_API_KEY: 'sk-deepseek-test-123456',
    DEEPSEEK_BASE_URL: `${deepseek.url}/v1`,
    ANTHROPIC_API_KEY: 'sk-ant-test-12345678',
    ANTHROPIC_BASE_URL: anthropic.url,
    OLLAMA_HOST: 'http://127.0.0.1:2',
    ...extra,
  };
}

async function ask(app: TestApp['app'], model: string, content = 'hello'): Promise<Message> {
  const { id } = await app.call('conversations.create', {});
  const { assistantMessage } = await app.call('chat.send', { conversationId: id, content, model });
  await app.services.chat.idle();
  return app.services.messages.get(assistantMessage.id)!;
}

describe('every provider behind one interface, in the app', () => {
  it('chats on Groq (free tier: recorded, costs $0) and DeepSeek (paid: cost from reported usage)', async () => {
    h = createTestApp({ env: env() });
    groq.setBehavior('llama-3.1-8b-instant', { reply: 'Fast and free.', usage: { promptTokens: 12, completionTokens: 4 } });
    const free = await ask(h.app, 'groq/llama-3.1-8b-instant');
    expect(free).toMatchObject({ status: 'complete', content: 'Fast and free.', promptTokens: 12, completionTokens: 4, costUsd: 0 });

    deepseek.setBehavior('deepseek-chat', { reply: 'Cheap and good.', usage: { promptTokens: 1_000_000, completionTokens: 1_000_000 } });
    const paid = await ask(h.app, 'deepseek/deepseek-chat');
    expect(paid.status).toBe('complete');
    const price = h.app.services.prices.catalog().priceOf('deepseek/deepseek-chat')!;
    expect(paid.costUsd).toBeCloseTo(price.input + price.output, 6);
    const calls = h.app.services.calls.list({ messageId: paid.id });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ modelId: 'deepseek/deepseek-chat', tier: 'paid', status: 'ok', estimated: false });
  });

  it('chats on Anthropic through its Messages API', async () => {
    h = createTestApp({ env: env() });
    anthropic.setBehavior('claude-haiku-4-5', { reply: 'Bonjour from Claude.' });
    const m = await ask(h.app, 'anthropic/claude-haiku-4-5');
    expect(m).toMatchObject({ status: 'complete', content: 'Bonjour from Claude.' });
    expect(m.costUsd).toBeGreaterThan(0);
  });

  it('a rejected key is an auth error that names the key, and is not retried', async () => {
    h = createTestApp({ env: env({ GROQ_API_KEY: 'gsk_wrong_key_000000' }) });
    const before = groq.requests.length;
    const m = await ask(h.app, 'groq/llama-3.1-8b-instant');
    expect(m.status).toBe('error');
    expect(m.error).toMatchObject({ code: 'auth' });
    expect(m.error?.message).toMatch(/Groq/);
    expect(m.error?.message).toMatch(/GROQ_API_KEY|Settings/);
    expect(groq.requests.length - before).toBe(1);
  });

  it('a provider error that echoes the key is masked before it is stored or shown', async () => {
    h = createTestApp({ env: env() });
    groq.setBehavior('llama-3.1-8b-instant', { errorStatus: 400, errorBody: { error: { message: 'Bad request from key gsk_test_key_123456', type: 'invalid_request_error', param: null, code: null } }, times: 1 });
    const m = await ask(h.app, 'groq/llama-3.1-8b-instant');
    expect(m.status).toBe('error');
    expect(m.error?.message).not.toContain('gsk_test_key_123456');
    expect(JSON.stringify(h.app.services.messages.listByConversation(m.conversationId))).not.toContain('gsk_test_key_123456');
  });

  it('lists providers with key sources and base URLs, tests them, and switches them off', async () => {
    h = createTestApp({ env: env() });
    const list = await h.app.call('providers.list', {});
    expect(list.map((p) => p.id)).toEqual(['ollama', 'groq', 'openrouter', 'deepseek', 'openai', 'anthropic']);
    expect(list.find((p) => p.id === 'groq')).toMatchObject({ enabled: true, baseUrl: `${groq.url}/v1`, baseUrlSource: 'env', key: { configured: true, source: 'env', last4: '3456' } });
    expect(list.find((p) => p.id === 'openai')).toMatchObject({ key: { configured: false } });
    expect(JSON.stringify(list)).not.toContain('gsk_test_key');

    expect(await h.app.call('providers.test', { id: 'groq' })).toMatchObject({ ok: true, modelCount: 2, error: null });
    expect(await h.app.call('providers.test', { id: 'openai' })).toMatchObject({ ok: false, error: { code: 'auth' } });

    await h.app.call('providers.update', { id: 'groq', enabled: false });
    // Refused before anything is stored: the composer keeps the user's text.
    const { id } = await h.app.call('conversations.create', {});
    const off = await h.app.dispatch('chat.send', { conversationId: id, content: 'hi', model: 'groq/llama-3.1-8b-instant' }, { transport: 'test' });
    expect(off).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('switched off') } });
    expect(h.app.services.messages.listByConversation(id)).toEqual([]);
    const picker = await h.app.call('models.list', {});
    expect(picker.models.some((m) => m.id.startsWith('groq/'))).toBe(false);
    expect(picker.models.some((m) => m.id === 'deepseek/deepseek-chat')).toBe(true);
    expect(picker.models.some((m) => m.id.startsWith('openai/'))).toBe(false);
  });

  it('a base URL set in Settings beats the environment variable', async () => {
    h = createTestApp({ env: env({ GROQ_BASE_URL: 'http://127.0.0.1:2/v1' }) });
    await h.app.call('providers.update', { id: 'groq', baseUrl: `${groq.url}/v1` });
    expect((await h.app.call('providers.list', {})).find((p) => p.id === 'groq')).toMatchObject({ baseUrlSource: 'settings', baseUrl: `${groq.url}/v1` });
    expect((await ask(h.app, 'groq/llama-3.1-8b-instant')).status).toBe('complete');
  });

  it('adds a custom OpenAI-compatible endpoint (LM Studio) and chats with it', async () => {
    h = createTestApp({ env: env() });
    const status = await h.app.call('providers.addCustom', { id: 'lm-studio', name: 'LM Studio', baseUrl: `${lmstudio.url}/v1`, tier: 'local' });
    expect(status).toMatchObject({ id: 'lm-studio', kind: 'custom', tier: 'local', enabled: true, builtIn: false });
    lmstudio.setBehavior('qwen2.5-7b-instruct', { reply: 'Served by LM Studio.' });
    expect(await ask(h.app, 'lm-studio/qwen2.5-7b-instruct')).toMatchObject({ status: 'complete', content: 'Served by LM Studio.', costUsd: 0 });
    // Its models are offered wherever models are picked (chat picker, catalog for council and tasks).
    expect((await h.app.call('models.list', {})).models.map((m) => m.id)).toContain('lm-studio/qwen2.5-7b-instruct');
    expect((await h.app.call('providers.catalog', {})).find((m) => m.id === 'lm-studio/qwen2.5-7b-instruct')).toMatchObject({
      provider: 'lm-studio', tier: 'local', available: true, price: { input: 0, output: 0 },
    });
    const dup = await h.app.dispatch('providers.addCustom', { id: 'groq', name: 'x', baseUrl: 'http://127.0.0.1:2/v1', tier: 'paid' }, { transport: 'test' });
    expect(dup).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await h.app.call('providers.removeCustom', { id: 'lm-studio' })).toEqual({ removed: true });
    const gone = await h.app.dispatch('chat.send', { conversationId: (await h.app.call('conversations.create', {})).id, content: 'x', model: 'lm-studio/qwen2.5-7b-instruct' }, { transport: 'test' });
    expect(gone).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await h.app.call('models.list', {})).models.map((m) => m.id)).not.toContain('lm-studio/qwen2.5-7b-instruct');
  });

  it("lists a custom endpoint's models only when it can be asked: enabled, answering, and local when offline", async () => {
    h = createTestApp({ env: env() });
    await h.app.call('providers.addCustom', { id: 'lm-studio', name: 'LM Studio', baseUrl: `${lmstudio.url}/v1`, tier: 'local' });
    await h.app.call('providers.addCustom', { id: 'down', name: 'Down', baseUrl: 'http://127.0.0.1:2/v1', tier: 'local' });
    await h.app.call('providers.addCustom', { id: 'team', name: 'Team gateway', baseUrl: 'http://203.0.113.7/v1', tier: 'paid' });
    // Offline, the picker holds only what runs on this machine (Ollama is down in these tests).
    const ids = async () => (await h.app.call('models.list', {})).models.map((m) => m.id);
    const listed = () => lmstudio.requests.filter((r) => r.path === '/v1/models').length;

    // Offline: the gateway on another machine is not asked at all; the one that is down lists nothing.
    h.app.services.settings.update({ offlineMode: true });
    const before = listed();
    expect(await ids()).toEqual(['lm-studio/qwen2.5-7b-instruct']);
    expect(listed()).toBe(before + 1);
    expect((await h.app.call('network.log', {})).some((e) => e.url.includes('203.0.113.7'))).toBe(false);
    // Read again within 30 s: served from memory, the endpoint is not asked again.
    expect(await ids()).toEqual(['lm-studio/qwen2.5-7b-instruct']);
    expect(listed()).toBe(before + 1);

    // Switched off: not listed.
    await h.app.call('providers.update', { id: 'lm-studio', enabled: false });
    expect(await ids()).toEqual([]);
  });

  it('health shows each model with its calls and latency', async () => {
    h = createTestApp({ env: env() });
    await ask(h.app, 'groq/llama-3.1-8b-instant');
    const health = await h.app.call('providers.health', {});
    expect(health.find((m) => m.modelId === 'groq/llama-3.1-8b-instant')).toMatchObject({ state: 'closed', calls: 1, p50Ms: expect.any(Number) });
  });
});

describe('cli models', () => {
  it('--json lists local and cloud models with context window, prices and availability', async () => {
    const { code, stdout } = await cli(['models', '--json'], { ...env({ GROQ_API_KEY: '' }), SWITCHBOARD_DATA_DIR: tempDir() });
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.ollama.reachable).toBe(false);
    const deep = out.models.find((m: { id: string }) => m.id === 'deepseek/deepseek-chat');
    expect(deep).toMatchObject({ tier: 'paid', available: true, contextWindow: expect.any(Number), price: { input: expect.any(Number), output: expect.any(Number) } });
    const groqModel = out.models.find((m: { id: string }) => m.id.startsWith('groq/'));
    expect(groqModel).toMatchObject({ tier: 'free', available: false, unavailableReason: expect.stringContaining('GROQ_API_KEY') });
  });

  it('--offline marks every cloud model unavailable for that run', async () => {
    const { code, stdout } = await cli(['models', '--offline', '--json'], { ...env(), SWITCHBOARD_DATA_DIR: tempDir() });
    expect(code).toBe(0);
    const deep = JSON.parse(stdout).models.find((m: { id: string }) => m.id === 'deepseek/deepseek-chat');
    expect(deep).toMatchObject({ available: false, unavailableReason: expect.stringContaining('offline') });
  });
});
