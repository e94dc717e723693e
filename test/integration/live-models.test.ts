import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { NOTHING_LISTENING_URL, closedPort, createTestApp } from '../helpers/app-harness';

/**
 * Issue #15, items 1 and 2: each provider's model list read live (with its key, never offline),
 * kept in SQLite with the time; a model the catalog does not know is listed, chosen and called,
 * with its price unknown (recorded as such, reserved at the provider's dearest price); a catalog
 * model its provider no longer lists is dropped from the pickers with a note.
 */
const TOKEN = 'sb-live-models-token-0123456789';
let openai: FakeOpenAI;
let anthropic: FakeAnthropic;

beforeAll(async () => {
  // As OpenAI: gpt-4o-mini still served, gpt-4o retired, a new model with Groq-style context_window.
  openai = await startFakeOpenAI({ models: ['gpt-4o-mini', 'gpt-9-preview'], modelFields: { 'gpt-9-preview': { context_window: 400_000 } } });
  anthropic = await startFakeAnthropic({ models: ['claude-haiku-4-5', 'claude-sonnet-4-5', 'claude-opus-9'], modelFields: { 'claude-opus-9': { max_input_tokens: 500_000 } } });
});
afterAll(async () => {
  await openai.close();
  await anthropic.close();
});

const env = () => ({
  OLLAMA_HOST: NOTHING_LISTENING_URL,
  OPENAI_BASE_URL: `${openai.url}/v1`,
  OPENAI_API_KEY: 'sk-live-models-test-0000',
  ANTHROPIC_BASE_URL: anthropic.url,
  ANTHROPIC_API_KEY: 'sk-ant-live-models-test-0000',
  SWITCHBOARD_API_TOKEN: TOKEN,
});
const listRequests = (fake: FakeOpenAI | FakeAnthropic) => fake.requests.filter((r) => r.method === 'GET' && r.path === '/v1/models').length;

describe('live model lists (issue #15)', () => {
  it('adds what a provider lists, retires what it dropped, keeps the list with its time across restarts', async () => {
    const h = createTestApp({ env: env() });
    try {
      const before = await h.app.call('providers.catalog', {});
      expect(before.some((m) => m.id === 'openai/gpt-9-preview')).toBe(false);
      expect(before.find((m) => m.id === 'openai/gpt-4o')).toMatchObject({ available: true });

      const results = await h.app.call('providers.refreshModels', {});
      const byProvider = Object.fromEntries(results.map((r) => [r.provider, r]));
      expect(byProvider.openai).toMatchObject({ refreshed: true, count: 2, error: null, reason: null });
      expect(byProvider.anthropic).toMatchObject({ refreshed: true, count: 3 });
      // No key: not asked at all.
      expect(byProvider.groq).toMatchObject({ refreshed: false, reason: 'no-key', listedAt: null, count: 0 });
      expect(typeof byProvider.openai?.listedAt).toBe('number');

      const after = await h.app.call('providers.catalog', {});
      expect(after.find((m) => m.id === 'openai/gpt-9-preview')).toMatchObject({ provider: 'openai', tier: 'paid', contextWindow: 400_000, price: null, available: true, quality: null });
      expect(after.find((m) => m.id === 'anthropic/claude-opus-9')).toMatchObject({ contextWindow: 500_000, price: null, available: true });
      // Retired: still in the catalog view, with the reason; gone from the picker.
      expect(after.find((m) => m.id === 'openai/gpt-4o')).toMatchObject({ available: false, unavailableReason: expect.stringMatching(/retired: OpenAI no longer lists it/) });
      const picker = (await h.app.call('models.list', {})).models.map((m) => m.id);
      expect(picker).toContain('openai/gpt-9-preview');
      expect(picker).toContain('openai/gpt-4o-mini');
      expect(picker).not.toContain('openai/gpt-4o');

      // Kept in SQLite: a second process knows the lists without asking.
      await h.app.dispose();
      const asked = listRequests(openai);
      const again = createTestApp({ env: env(), dataDir: h.dataDir });
      try {
        const lists = await again.app.call('providers.modelLists', {});
        expect(lists.find((l) => l.provider === 'openai')).toMatchObject({ count: 2, listedAt: byProvider.openai?.listedAt });
        expect((await again.app.call('models.list', {})).models.map((m) => m.id)).toContain('openai/gpt-9-preview');
        expect(listRequests(openai)).toBe(asked);

        // The provider adds a model and drops one: a refresh shows both.
        openai.addModel('gpt-10');
        openai.removeModel('gpt-9-preview');
        await again.app.call('providers.refreshModels', { id: 'openai' });
        const ids = (await again.app.call('models.list', {})).models.map((m) => m.id);
        expect(ids).toContain('openai/gpt-10');
        expect(ids).not.toContain('openai/gpt-9-preview');
      } finally {
        openai.removeModel('gpt-10');
        openai.addModel('gpt-9-preview');
        await again.close();
      }
    } finally {
      await h.close();
    }
  });

  it('offline: refuses on demand and sends nothing', async () => {
    const h = createTestApp({ env: env() });
    try {
      h.app.services.settings.update({ offlineMode: true });
      const asked = listRequests(openai) + listRequests(anthropic);
      const result = await h.app.dispatch('providers.refreshModels', {}, { transport: 'test' });
      expect(result).toMatchObject({ ok: false, error: { code: 'offline' } });
      await h.app.services.availableModels.list([]);
      expect(listRequests(openai) + listRequests(anthropic)).toBe(asked);
      expect(h.app.services.network.log.recent().filter((e) => e.purpose !== 'ollama')).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('an unknown model is called through /v1; its cost is recorded as unknown and the budget reserves the dearest known price', async () => {
    const h = createTestApp({ env: env(), apiServer: true });
    try {
      await h.app.call('providers.refreshModels', { id: 'openai' });
      openai.setBehavior('gpt-9-preview', { reply: 'Hello from a model the catalog does not know.' });
      h.app.services.settings.update({ apiServer: { enabled: true, port: await closedPort() } });
      const status = await h.app.call('api.status', {});
      const client = new OpenAI({ baseURL: status.baseUrl!, apiKey: TOKEN, maxRetries: 0 });
      const reply = await client.chat.completions.create({ model: 'openai/gpt-9-preview', messages: [{ role: 'user', content: 'Hi' }] });
      expect(reply.choices[0]?.message.content).toBe('Hello from a model the catalog does not know.');
      expect(reply.model).toBe('openai/gpt-9-preview');

      // Recorded as unknown, and counted at OpenAI's dearest known price so the budget sees it.
      const call = h.app.services.calls.list({ modelId: 'openai/gpt-9-preview' }).at(-1)!;
      const dearestPrice = h.app.services.prices.highestPriceOf('openai')!;
      const expected = (call.inputTokens * dearestPrice.input + call.outputTokens * dearestPrice.output) / 1_000_000;
      expect(call).toMatchObject({ status: 'ok', tier: 'paid', costUnknown: true });
      expect(call.costUsd).toBeGreaterThan(0);
      expect(call.costUsd).toBeCloseTo(expected, 9);
      expect(h.app.services.routing.ledger.state().day.spentUsd).toBeCloseTo(call.costUsd, 9);
      // A known model's call is not marked.
      openai.setBehavior('gpt-4o-mini', { reply: 'Known.' });
      await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
      expect(h.app.services.calls.list({ modelId: 'openai/gpt-4o-mini' }).at(-1)?.costUnknown).toBeUndefined();

      // The router prices it at OpenAI's dearest catalog price until one is set.
      const inputs = h.app.services.routing.inputs;
      const dearest = h.app.services.prices.highestPriceOf('openai')!;
      expect(inputs.model('openai/gpt-9-preview')).toMatchObject({ price: dearest, contextWindow: 400_000, tier: 'paid' });
      h.app.services.settings.update({ priceOverrides: { 'openai/gpt-9-preview': { input: 1, output: 2 } } });
      expect(h.app.services.prices.priceOf('openai/gpt-9-preview')).toEqual({ input: 1, output: 2 });
      expect(inputs.model('openai/gpt-9-preview')?.price).toEqual({ input: 1, output: 2 });
      expect((await h.app.call('providers.catalog', {})).find((m) => m.id === 'openai/gpt-9-preview')?.price).toMatchObject({ input: 1, output: 2 });

      // A retired model is refused with the reason, not called.
      const calls = openai.requests.filter((r) => r.path === '/v1/chat/completions').length;
      await expect(client.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hi' }] })).rejects.toMatchObject({ status: 404 });
      expect(openai.requests.filter((r) => r.path === '/v1/chat/completions').length).toBe(calls);
    } finally {
      await h.close();
    }
  });
});
