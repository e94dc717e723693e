import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/contract';
import { LOCAL_MODEL_ID } from '../../src/main/answer';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { NOTHING_LISTENING_URL, createTestApp, type TestApp } from '../helpers/app-harness';

// The GPU box "on the LAN": the app is given this URL; the base fetch under the guard delivers it to
// the second fake, so the offline guard sees a real non-loopback host. Nothing is ever sent to
// 192.168.77.20 itself. The user marked it as on their network (Settings → Network), unless a test
// says otherwise.
const LAN_ADDRESS = '192.168.77.20';
const LAN_URL = `http://${LAN_ADDRESS}:11434`;
const GPU_MODEL = 'ollama-gpu-box/llama3.1:8b';

let desktop: FakeOllama;
let gpu: FakeOllama;
let h: TestApp;

beforeAll(async () => {
  // The desktop only has an embedding model, so `switchboard/local` has to use the GPU box.
  desktop = await startFakeOllama({ models: [{ name: 'nomic-embed-text', embedding: true }, { name: 'llama3.2:3b' }] });
  gpu = await startFakeOllama({ models: [{ name: 'llama3.1:8b', family: 'llama', parameterSize: '8.0B' }] });
});
afterAll(async () => {
  await Promise.all([desktop.close(), gpu.close()]);
});

beforeEach(() => {
  gpu.setBehavior('*', { reply: 'from the GPU box' });
  const base: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(LAN_URL)) return fetch(input, init);
    const moved = gpu.url + url.slice(LAN_URL.length);
    return input instanceof Request ? fetch(new Request(moved, input), init) : fetch(moved, init);
  };
  h = createTestApp({ ollamaUrl: desktop.url, fetch: base });
  h.app.services.settings.update({ networkHosts: [LAN_ADDRESS] });
});
afterEach(async () => {
  await h.close();
});

async function ask(model: string): Promise<Message> {
  const { id } = await h.app.call('conversations.create', {});
  const { assistantMessage } = await h.app.call('chat.send', { conversationId: id, content: 'hello there', model });
  await h.app.services.chat.idle();
  return h.app.services.messages.get(assistantMessage.id)!;
}

const chatRequests = () => gpu.requests.filter((r) => r.path === '/api/chat');

describe('extra Ollama hosts in the app', () => {
  it('adds a host: provider, models, picker, catalog and a chat that streams from that host', async () => {
    const status = await h.app.call('providers.addOllamaHost', { name: 'gpu-box', url: LAN_URL, maxConcurrent: 1 });
    expect(status).toMatchObject({ id: 'ollama-gpu-box', kind: 'ollama', tier: 'local', builtIn: false, baseUrl: LAN_URL, key: null });
    expect((await h.app.call('settings.get', {})).ollamaHosts).toEqual([{ name: 'gpu-box', url: LAN_URL, maxConcurrent: 1 }]);
    expect((await h.app.call('providers.list', {})).map((p) => p.id)).toContain('ollama-gpu-box');

    const { models } = await h.app.call('models.list', {});
    expect(models.find((m) => m.id === GPU_MODEL)).toMatchObject({ provider: 'ollama-gpu-box', name: 'llama3.1:8b', tier: 'local' });
    expect(models.map((m) => m.id)).toContain('ollama/llama3.2:3b');
    // Embedding-only models are for the cache, not the chat picker.
    expect(models.map((m) => m.id)).not.toContain('ollama/nomic-embed-text:latest');
    const catalog = await h.app.call('providers.catalog', {});
    expect(catalog.find((m) => m.id === GPU_MODEL)).toMatchObject({ tier: 'local', available: true });
    expect(h.app.services.prices.tierOf(GPU_MODEL)).toBe('local');

    const before = chatRequests().length;
    const m = await ask(GPU_MODEL);
    expect(m).toMatchObject({ status: 'complete', content: 'from the GPU box', modelId: GPU_MODEL, tier: 'local' });
    expect(chatRequests().slice(before).map((r) => r.model)).toEqual(['llama3.1:8b']);
    expect(desktop.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
    expect(h.app.services.reliable.concurrencyStats()['ollama-gpu-box']).toMatchObject({ limit: 1 });

    const test = await h.app.call('providers.test', { id: 'ollama-gpu-box' });
    expect(test).toMatchObject({ ok: true, modelCount: 1 });
  });

  it('refuses duplicate names and names that collide with other providers', async () => {
    await h.app.call('providers.addOllamaHost', { name: 'gpu-box', url: LAN_URL });
    await expect(h.app.call('providers.addOllamaHost', { name: 'GPU box', url: LAN_URL })).rejects.toMatchObject({ code: 'conflict' });
    await h.app.call('providers.addCustom', { id: 'ollama-lab', name: 'Lab', baseUrl: 'http://127.0.0.1:1234/v1', tier: 'local' });
    await expect(h.app.call('providers.addOllamaHost', { name: 'lab', url: LAN_URL })).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.app.call('providers.addCustom', { id: 'ollama-gpu-box', name: 'x', baseUrl: 'http://127.0.0.1:1234/v1', tier: 'local' })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(h.app.call('providers.addOllamaHost', { name: '!!', url: LAN_URL })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('lets switchboard/local route to a model on the extra host', async () => {
    // With no chat model on the desktop, the only local model that can answer is on the GPU box.
    desktop.removeModel('llama3.2:3b');
    await h.app.call('providers.addOllamaHost', { name: 'gpu-box', url: LAN_URL });
    const m = await ask(LOCAL_MODEL_ID).finally(() => desktop.addModel({ name: 'llama3.2:3b' }));
    expect(m).toMatchObject({ status: 'complete', content: 'from the GPU box', modelId: GPU_MODEL, tier: 'local' });
    const decision = await h.app.call('routing.decision', { messageId: m.id });
    expect(decision).toMatchObject({ chosenModel: GPU_MODEL, tier: 'local' });
  });

  it('keeps the LAN host allowed in offline mode', async () => {
    await h.app.call('providers.addOllamaHost', { name: 'gpu-box', url: LAN_URL });
    await h.app.call('settings.update', { offlineMode: true });
    expect(h.app.services.network.localHosts()).toContain(LAN_URL);
    expect((await h.app.call('models.list', {})).models.map((m) => m.id)).toContain(GPU_MODEL);
    const m = await ask(GPU_MODEL);
    expect(m).toMatchObject({ status: 'complete', content: 'from the GPU box' });
    const lan = h.app.services.network.log.recent().filter((e) => e.host === '192.168.77.20:11434' || e.host === '192.168.77.20');
    expect(lan.length).toBeGreaterThan(0);
    expect(lan.every((e) => e.allowed)).toBe(true);
    // Not the whole LAN: another address is still refused.
    await expect(h.app.services.network.fetch('http://192.168.77.21:11434/api/tags')).rejects.toMatchObject({ code: 'offline' });
  });

  it('a LAN host not marked as on the network is not local, and offline mode does not reach it', async () => {
    await h.app.call('settings.update', { networkHosts: [] });
    const status = await h.app.call('providers.addOllamaHost', { name: 'gpu-box', url: LAN_URL });
    expect(status).toMatchObject({ id: 'ollama-gpu-box', tier: 'paid' });
    expect(h.app.services.prices.tierOf(GPU_MODEL)).toBe('paid');
    const catalog = await h.app.call('providers.catalog', {});
    expect(catalog.find((m) => m.id === GPU_MODEL)).toMatchObject({ tier: 'paid', price: null });

    await h.app.call('settings.update', { offlineMode: true });
    expect(h.app.services.network.localHosts()).toEqual([]);
    expect((await h.app.call('models.list', {})).models.map((m) => m.id)).not.toContain(GPU_MODEL);
    const before = gpu.requests.length;
    const m = await ask(GPU_MODEL);
    expect(m).toMatchObject({ status: 'error', error: { code: 'offline', message: expect.stringContaining('Mark its address in Settings → Network') } });
    expect(gpu.requests.length).toBe(before);
    const lan = h.app.services.network.log.recent().filter((e) => e.host === `${LAN_ADDRESS}:11434` && e.reason !== 'online');
    expect(lan.length).toBeGreaterThan(0);
    expect(lan.every((e) => !e.allowed && /neither this machine nor a host marked as on your network/.test(e.reason))).toBe(true);

    // Marking it makes it local and reachable offline.
    await h.app.call('settings.update', { networkHosts: [LAN_ADDRESS] });
    expect(h.app.services.prices.tierOf(GPU_MODEL)).toBe('local');
    expect(await ask(GPU_MODEL)).toMatchObject({ status: 'complete', content: 'from the GPU box', tier: 'local' });
  });

  it('removes a host: unregistered, gone from the lists, and sending to it is invalid_input', async () => {
    await h.app.call('providers.addOllamaHost', { name: 'gpu-box', url: LAN_URL });
    expect(await h.app.call('providers.removeOllamaHost', { name: 'gpu-box' })).toEqual({ removed: true });
    expect(await h.app.call('providers.removeOllamaHost', { name: 'gpu-box' })).toEqual({ removed: false });
    expect(h.app.services.providers.get('ollama-gpu-box')).toBeUndefined();
    expect((await h.app.call('providers.list', {})).map((p) => p.id)).not.toContain('ollama-gpu-box');
    expect((await h.app.call('models.list', {})).models.map((m) => m.id)).not.toContain(GPU_MODEL);
    const { id } = await h.app.call('conversations.create', {});
    await expect(h.app.call('chat.send', { conversationId: id, content: 'hi', model: GPU_MODEL })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('follows hosts set through settings.update too', async () => {
    await h.app.call('settings.update', { ollamaHosts: [{ name: 'gpu-box', url: LAN_URL }] });
    expect(h.app.services.providers.get('ollama-gpu-box')).toBeDefined();
    await h.app.call('settings.update', { ollamaHosts: [] });
    expect(h.app.services.providers.get('ollama-gpu-box')).toBeUndefined();
  });

  it('a host that is down does not break models.list, and a chat on it names the host', async () => {
    const down = NOTHING_LISTENING_URL;
    await h.app.call('providers.addOllamaHost', { name: 'gpu-box', url: LAN_URL });
    await h.app.call('providers.addOllamaHost', { name: 'laptop', url: down });
    const { models } = await h.app.call('models.list', {});
    expect(models.map((m) => m.id)).toEqual(expect.arrayContaining(['ollama/llama3.2:3b', GPU_MODEL]));
    expect(models.some((m) => m.provider === 'ollama-laptop')).toBe(false);
    const extra = await h.app.services.providerSettings.extraOllamaModels();
    expect(extra.errors).toEqual([expect.objectContaining({ providerId: 'ollama-laptop', host: down })]);

    const m = await ask('ollama-laptop/llama3.1:8b');
    expect(m.status).toBe('error');
    expect(m.error).toMatchObject({ code: 'unavailable' });
    expect(m.error!.message).toContain('"laptop"');

    const missing = await ask('ollama-gpu-box/qwen2.5:32b');
    expect(missing.error).toMatchObject({ code: 'model_not_found' });
    expect(missing.error!.message).toContain('ollama pull qwen2.5:32b');
  });

  it('keeps hosts across a restart', async () => {
    await h.app.call('providers.addOllamaHost', { name: 'gpu-box', url: LAN_URL });
    await h.restart();
    expect((await h.app.call('models.list', {})).models.map((m) => m.id)).toContain(GPU_MODEL);
  });
});
