import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/main/logger';
import { NOTHING_LISTENING_URL, createTestApp, tempDir, waitFor } from '../helpers/app-harness';

let server: http.Server;
let url: string;
let hits = 0;

beforeAll(async () => {
  // OpenRouter's GET /api/v1/models: prices are USD per token, as decimal strings.
  server = http.createServer((req, res) => {
    hits++;
    if (req.url !== '/api/v1/models') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        data: [
          { id: 'deepseek/deepseek-chat', name: 'DeepSeek V3', pricing: { prompt: '0.0000003', completion: '0.0000012' } },
          { id: 'openrouter/auto', pricing: { prompt: '-1', completion: '-1' } },
          { id: 'some/unknown-model', pricing: { prompt: '0.000001', completion: '0.000002' } },
        ],
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('OpenRouter price refresh', () => {
  it('updates catalog prices when online, user overrides still win, and the outbound log shows it', async () => {
    const h = createTestApp({ env: { OPENROUTER_BASE_URL: url, OLLAMA_HOST: 'http://127.0.0.1:2' } });
    try {
      const before = h.app.services.prices.catalog().priceOf('openrouter/deepseek/deepseek-chat')!;
      expect(await h.app.call('providers.refreshPrices', {})).toMatchObject({ updated: 1 });
      const after = h.app.services.prices.catalog().priceOf('openrouter/deepseek/deepseek-chat')!;
      expect(after).toMatchObject({ input: 0.3, output: 1.2 });
      expect(after).not.toEqual(before);
      h.app.services.settings.update({ priceOverrides: { 'openrouter/deepseek/deepseek-chat': { input: 0.1 } } });
      expect(h.app.services.prices.catalog().priceOf('openrouter/deepseek/deepseek-chat')).toMatchObject({ input: 0.1, output: 1.2 });
      expect(h.app.services.network.log.recent().some((e) => e.purpose === 'catalog.refresh' && e.allowed)).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('never runs in offline mode: nothing is sent', async () => {
    const h = createTestApp({ env: { OPENROUTER_BASE_URL: url, OLLAMA_HOST: 'http://127.0.0.1:2' } });
    try {
      h.app.services.settings.update({ offlineMode: true });
      const before = hits;
      const result = await h.app.dispatch('providers.refreshPrices', {}, { transport: 'test' });
      expect(result).toMatchObject({ ok: false, error: { code: 'offline' } });
      expect(hits).toBe(before);
    } finally {
      await h.close();
    }
  });
});

/**
 * The app as the desktop app and headless mode start it (`background: true`), with a spy on its one
 * guarded fetch (AppOptions.fetch: every provider, catalog and Ollama request goes through it) and
 * its log lines kept, to wait for the start-up decisions. Ollama is not installed (so nothing is
 * spawned) and not running; its host is on this machine.
 */
function startApp(env: NodeJS.ProcessEnv, dataDir = tempDir()) {
  const requests: string[] = [];
  const spy = ((input: string | URL | Request, init?: RequestInit) => {
    requests.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  }) as typeof fetch;
  const lines: Array<{ msg: string; reason?: string }> = [];
  const logger = createLogger({ level: 'debug', sink: { write: (line) => lines.push(JSON.parse(line) as { msg: string; reason?: string }) } });
  const harness = createTestApp({
    dataDir,
    background: true,
    fetch: spy,
    logger,
    env: { OLLAMA_HOST: NOTHING_LISTENING_URL, PATH: '/nowhere', ...env },
    setup: { lifecycle: { isExecutable: async () => false, exists: async () => false, platform: 'linux', homedir: () => '/home/ada' } },
  });
  const priceDecision = () => waitFor(() => lines.find((l) => l.msg.startsWith('OpenRouter prices')), 'the start-up price refresh decision');
  const ollamaDecision = () => waitFor(() => lines.find((l) => l.msg === 'not starting ollama serve at launch'), 'the launch decision');
  return { harness, requests, lines, priceDecision, ollamaDecision };
}

describe('start-up: nothing is fetched unless a configured feature needs it (issue #16, item 3)', () => {
  it('with nothing configured, no request leaves this machine', async () => {
    const started = startApp({});
    try {
      expect(await started.priceDecision()).toMatchObject({ msg: 'OpenRouter prices not refreshed at start', reason: 'not-configured' });
      await started.ollamaDecision();
      // Only Settings' Ollama host, on this machine (auto-start asks whether it is running), was asked.
      expect(started.requests.filter((url) => !url.startsWith(`${NOTHING_LISTENING_URL}/`))).toEqual([]);
      expect(started.harness.app.services.network.log.recent().filter((e) => e.purpose !== 'ollama')).toEqual([]);
    } finally {
      await started.harness.close();
    }
  });

  it('with an OpenRouter key, refreshes the prices once, and not again on a second start the same day', async () => {
    const env = { OPENROUTER_BASE_URL: url, OPENROUTER_API_KEY: 'sk-or-v1-start-up-test-0000' };
    const before = hits;
    const first = startApp(env);
    try {
      expect(await first.priceDecision()).toMatchObject({ msg: 'OpenRouter prices refreshed', updated: 1 });
      expect(hits - before).toBe(1);
      expect(first.requests.filter((u) => u.startsWith(url))).toEqual([`${url}/models`]);
      expect(first.harness.app.services.prices.priceOf('openrouter/deepseek/deepseek-chat')).toMatchObject({ input: 0.3, output: 1.2 });
      await first.harness.app.dispose();

      const second = startApp(env, first.harness.dataDir);
      try {
        expect(await second.priceDecision()).toMatchObject({ msg: 'OpenRouter prices not refreshed at start', reason: 'recent' });
        expect(hits - before).toBe(1);
        expect(second.requests.filter((u) => !u.startsWith(`${NOTHING_LISTENING_URL}/`))).toEqual([]);
        // The prices of this morning's refresh, not the bundled ones.
        expect(second.harness.app.services.prices.priceOf('openrouter/deepseek/deepseek-chat')).toMatchObject({ input: 0.3, output: 1.2 });
      } finally {
        await second.harness.close();
      }
    } finally {
      await first.harness.close();
    }
  });

  it('with an OpenRouter key but offline, or OpenRouter switched off, nothing is fetched', async () => {
    const env = { OPENROUTER_BASE_URL: url, OPENROUTER_API_KEY: 'sk-or-v1-start-up-test-0000' };
    const dataDir = tempDir();
    const setup = createTestApp({ dataDir, env: { OLLAMA_HOST: NOTHING_LISTENING_URL } });
    setup.app.services.settings.update({ offlineMode: true });
    await setup.app.dispose();
    const before = hits;
    const offline = startApp(env, dataDir);
    try {
      expect(await offline.priceDecision()).toMatchObject({ reason: 'offline' });
      offline.harness.app.services.settings.update({ offlineMode: false });
      await offline.harness.app.call('providers.update', { id: 'openrouter', enabled: false });
      await offline.harness.app.dispose();
      const switchedOff = startApp(env, dataDir);
      try {
        expect(await switchedOff.priceDecision()).toMatchObject({ reason: 'not-configured' });
      } finally {
        await switchedOff.harness.close();
      }
      expect(hits).toBe(before);
    } finally {
      await offline.harness.close();
    }
  });
});
