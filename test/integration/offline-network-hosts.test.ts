import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/contract';
import { isLoopbackHost } from '../../src/main/net';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { NOTHING_LISTENING_URL, createTestApp, type TestApp } from '../helpers/app-harness';

// Issue #16, item 2: offline mode reaches this machine and the hosts the user marked as on their
// network, nothing else, whatever tier an endpoint claims. Nothing in this file sends a packet to a
// non-loopback address: the base fetch under the guard hands loopback to the real fetch and
// answers everything else itself (recording it), so "allowed" is the guard's verdict, not a socket.
const PUBLIC = '203.0.113.5'; // TEST-NET-3 (RFC 5737): documentation only
const LAN = '192.168.50.7';
const PUBLIC_KEY = 'sk-public-endpoint-key-0123456789';
const LAN_KEY = 'sk-lan-endpoint-key-0123456789';

let lmstudio: FakeOpenAI;
let h: TestApp;
/** Every request the guard let through to a non-loopback address (it never reached a network). */
let outside: Array<{ url: string; authorization: string | null }>;

beforeAll(async () => {
  lmstudio = await startFakeOpenAI({ models: ['qwen2.5-7b-instruct'] });
});
afterAll(() => lmstudio.close());
afterEach(async () => {
  await h?.close();
});

function app(): TestApp {
  outside = [];
  const base: typeof fetch = async (input, init) => {
    const request = input instanceof Request ? input : null;
    const url = new URL(request ? request.url : String(input));
    if (isLoopbackHost(url.hostname)) return fetch(input, init);
    outside.push({ url: url.href, authorization: new Headers(init?.headers ?? request?.headers).get('authorization') });
    // In place of the network: an OpenAI-compatible model list.
    return Response.json({ object: 'list', data: [{ id: 'lan-model', object: 'model', created: 0, owned_by: 'me' }] });
  };
  return createTestApp({ ollamaUrl: NOTHING_LISTENING_URL, fetch: base });
}

async function ask(model: string): Promise<Message> {
  const { id } = await h.app.call('conversations.create', {});
  const { assistantMessage } = await h.app.call('chat.send', { conversationId: id, content: 'hello', model });
  await h.app.services.chat.idle();
  return h.app.services.messages.get(assistantMessage.id)!;
}

const logFor = (host: string) => h.app.services.network.log.recent().filter((e) => e.host === host && e.reason !== 'online');

describe('offline mode and the hosts on my network', () => {
  it('an endpoint on a public address is never local, and offline mode never reaches it, whatever tier it claims', async () => {
    h = app();
    // The dedicated call refuses "Local" for it, before the key is stored.
    await expect(h.app.call('providers.addCustom', { id: 'cloudy', name: 'Cloudy', baseUrl: `http://${PUBLIC}/v1`, tier: 'local', apiKey: PUBLIC_KEY })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('Settings → Network'),
    });
    expect(await h.app.services.secrets.getCustom('cloudy')).toBeNull();
    // A public address cannot be marked as on my network.
    await expect(h.app.call('settings.update', { networkHosts: [PUBLIC] })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('not a private address') });

    // Stored as local anyway (an older version, a hand edit; registered at the next start): it
    // counts as paid, and is never asked offline.
    await h.app.call('settings.update', { customEndpoints: [{ id: 'cloudy', name: 'Cloudy', baseUrl: `http://${PUBLIC}/v1`, tier: 'local' }] });
    await h.restart();
    await h.app.services.secrets.setCustom('cloudy', PUBLIC_KEY);
    expect((await h.app.call('providers.list', {})).find((p) => p.id === 'cloudy')).toMatchObject({ tier: 'paid' });
    expect(h.app.services.prices.tierOf('cloudy/lan-model')).toBe('paid');

    await h.app.call('settings.update', { offlineMode: true });
    expect(h.app.services.network.localHosts()).toEqual([]);
    expect((await h.app.call('models.list', {})).models.filter((m) => m.provider === 'cloudy')).toEqual([]);
    const test = await h.app.call('providers.test', { id: 'cloudy' });
    expect(test).toMatchObject({ ok: false, error: { code: 'offline' } });
    const m = await ask('cloudy/lan-model');
    expect(m.status).toBe('error');
    await expect(h.app.services.network.fetch(`http://${PUBLIC}/v1/models`)).rejects.toMatchObject({ code: 'offline' });

    // The guard's own log says so; the base fetch was never called, so no socket and no key left.
    const refused = logFor(PUBLIC);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused.every((e) => !e.allowed && e.reason === `offline mode: ${PUBLIC} is neither this machine nor a host marked as on your network`)).toBe(true);
    expect(refused.map((e) => e.purpose)).toContain('cloudy');
    expect(outside).toEqual([]);
  });

  it('a private address is refused until it is marked, then allowed (the guard lets it through; the stub answers)', async () => {
    h = app();
    const host = `${LAN}:8000`;
    await expect(h.app.call('providers.addCustom', { id: 'lan', name: 'LAN vLLM', baseUrl: `http://${host}/v1`, tier: 'local' })).rejects.toMatchObject({ code: 'invalid_input' });
    await h.app.call('providers.addCustom', { id: 'lan', name: 'LAN vLLM', baseUrl: `http://${host}/v1`, tier: 'paid', apiKey: LAN_KEY });
    await h.app.call('settings.update', { offlineMode: true });

    // Not marked: refused before the base fetch, with what to do about it.
    const refused = await h.app.call('providers.test', { id: 'lan' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'offline', message: expect.stringContaining(`mark it in Settings → Network`) } });
    expect(logFor(host).at(0)).toMatchObject({ allowed: false, purpose: 'lan' });
    expect(outside).toEqual([]);

    // Marked: allowed, on the endpoint's port as on any other.
    await h.app.call('settings.update', { networkHosts: [LAN] });
    expect(h.app.services.network.localHosts()).toEqual([LAN, `http://${host}/v1`]);
    expect(await h.app.call('providers.test', { id: 'lan' })).toMatchObject({ ok: true, modelCount: 1 });
    expect(logFor(host).at(0)).toMatchObject({ allowed: true, reason: 'local-host', purpose: 'lan', url: `http://${host}/v1/models` });
    expect(outside).toEqual([{ url: `http://${host}/v1/models`, authorization: `Bearer ${LAN_KEY}` }]);
    // Another address on the same LAN is still refused.
    await expect(h.app.services.network.fetch(`http://${LAN.replace(/7$/, '8')}:8000/v1/models`)).rejects.toMatchObject({ code: 'offline' });
    expect(outside).toHaveLength(1);

    // Now it may be local (and costs nothing as such); unmarked again, it is not.
    await h.app.call('providers.removeCustom', { id: 'lan' });
    expect(await h.app.call('providers.addCustom', { id: 'lan', name: 'LAN vLLM', baseUrl: `http://${host}/v1`, tier: 'local' })).toMatchObject({ tier: 'local' });
    expect((await h.app.call('providers.catalog', {})).find((m) => m.id === 'lan/lan-model')).toMatchObject({ tier: 'local', price: { input: 0, output: 0 } });
    await h.app.call('settings.update', { networkHosts: [] });
    expect((await h.app.call('providers.list', {})).find((p) => p.id === 'lan')).toMatchObject({ tier: 'paid' });
    expect(h.app.services.prices.tierOf('lan/lan-model')).toBe('paid');
    expect(await h.app.call('providers.test', { id: 'lan' })).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(outside).toHaveLength(2); // the one catalog listing while marked; nothing since
  });

  it('loopback is allowed offline and really served, by a fake on 127.0.0.1', async () => {
    h = app();
    await h.app.call('providers.addCustom', { id: 'lm-studio', name: 'LM Studio', baseUrl: `${lmstudio.url}/v1`, tier: 'local' });
    await h.app.call('settings.update', { offlineMode: true });
    lmstudio.setBehavior('qwen2.5-7b-instruct', { reply: 'Served on this machine.' });
    const before = lmstudio.requests.filter((r) => r.path === '/v1/chat/completions').length;
    expect(await ask('lm-studio/qwen2.5-7b-instruct')).toMatchObject({ status: 'complete', content: 'Served on this machine.', tier: 'local', costUsd: 0 });
    expect(lmstudio.requests.filter((r) => r.path === '/v1/chat/completions').length).toBe(before + 1);
    const local = logFor(new URL(lmstudio.url).host);
    expect(local.length).toBeGreaterThan(0);
    expect(local.every((e) => e.allowed && e.reason === 'loopback')).toBe(true);
    expect(outside).toEqual([]);
  });

  it('the list of hosts on my network takes private addresses only', async () => {
    h = app();
    for (const bad of ['gpu-box.lan', '8.8.8.8', '127.0.0.1', 'http://192.168.1.20:11434', '100.64.0.1']) {
      await expect(h.app.call('settings.update', { networkHosts: [bad] }), bad).rejects.toMatchObject({ code: 'invalid_input' });
    }
    await expect(h.app.call('settings.update', { networkHosts: ['10.0.0.2', '10.0.0.2'] })).rejects.toMatchObject({ message: expect.stringContaining('listed twice') });
    expect((await h.app.call('settings.update', { networkHosts: ['10.0.0.2', 'fd00::5', 'fe80::1'] })).networkHosts).toEqual(['10.0.0.2', 'fd00::5', 'fe80::1']);
    await h.restart();
    expect((await h.app.call('settings.get', {})).networkHosts).toEqual(['10.0.0.2', 'fd00::5', 'fe80::1']);
  });
});
