import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app-harness';

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
