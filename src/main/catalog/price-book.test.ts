import { describe, expect, it } from 'vitest';
import { ModelCatalog } from './model-catalog';
import { PRICE_REFRESH_INTERVAL_MS, PriceBook, type SavedPrices } from './price-book';
import type { CloudModelEntry } from './schema';

const entry = (id: string, tier: CloudModelEntry['tier'], input: number): CloudModelEntry => ({
  id, provider: id.split('/')[0]!, name: id, tier, contextWindow: 128_000, price: { input, output: input * 4 }, quality: 7, strengths: [], source: '',
});
const base = new ModelCatalog([entry('deepseek/deepseek-chat', 'paid', 0.27), entry('groq/llama-3.1-8b-instant', 'free', 0.05), entry('openrouter/some/model', 'paid', 1)]);

function book(
  settings: { overrides?: unknown; endpoints?: Record<string, 'local' | 'free' | 'paid'> } = {},
  prices: Record<string, string> = {},
  extra: { saved?: SavedPrices; now?: () => number; offline?: boolean } = {},
) {
  const fetched: string[] = [];
  const fetchStub = (async (url: string) => {
    fetched.push(url);
    const data = Object.entries(prices).map(([id, prompt]) => ({ id, pricing: { prompt, completion: prompt } }));
    return new Response(JSON.stringify({ data }), { headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  const pb = new PriceBook({
    base,
    overrides: () => settings.overrides ?? {},
    endpointTier: (id) => settings.endpoints?.[id],
    openRouterModelsUrl: () => 'http://openrouter.test/api/v1/models',
    fetch: fetchStub,
    isOffline: () => extra.offline ?? false,
    saved: extra.saved,
    now: extra.now ?? (() => 1234),
  });
  return { pb, fetched };
}

describe('PriceBook', () => {
  it('prices from the catalog, with Settings overrides over refreshed OpenRouter prices', async () => {
    const settings: { overrides?: unknown } = {};
    const { pb, fetched } = book(settings, { 'some/model': '0.000002', 'not/listed': '0.000001' });
    expect(pb.priceOf('openrouter/some/model')).toEqual({ input: 1, output: 4 });
    expect(await pb.refreshPrices()).toEqual({ updated: 1, at: 1234 });
    expect(fetched).toEqual(['http://openrouter.test/api/v1/models']);
    expect(pb.priceOf('openrouter/some/model')).toMatchObject({ input: 2, output: 2 });
    settings.overrides = { 'openrouter/some/model': { input: 0.5 } };
    expect(pb.priceOf('openrouter/some/model')).toMatchObject({ input: 0.5, output: 2 });
    expect(pb.priceOf('ollama/llama3.2:3b')).toBeNull();
  });

  it('keeps one catalog while Settings and refreshed prices stay the same', () => {
    const { pb } = book({ overrides: { 'deepseek/deepseek-chat': { input: 1 } } });
    expect(pb.catalog()).toBe(pb.catalog());
  });

  it('tiers: a user endpoint its own, every Ollama host local, else the catalog, else the provider', () => {
    const { pb } = book({ endpoints: { 'lm-studio': 'local', team: 'paid' }, overrides: { 'groq/llama-3.1-8b-instant': { tier: 'paid' } } });
    expect(pb.tierOf('lm-studio/qwen2.5-7b')).toBe('local');
    expect(pb.tierOf('team/gpt-x')).toBe('paid');
    expect(pb.tierOf('ollama/llama3.2:3b')).toBe('local');
    expect(pb.tierOf('ollama-gpu-box/llama3.1:8b')).toBe('local');
    expect(pb.tierOf('groq/llama-3.1-8b-instant')).toBe('paid');
    expect(pb.tierOf('deepseek/deepseek-chat')).toBe('paid');
  });

  describe('the refresh at start (issue #16, item 3)', () => {
    const DAY = PRICE_REFRESH_INTERVAL_MS;
    /** The settings row the app keeps the last refresh in, as JSON (what SQLite holds). */
    function savedRow(): SavedPrices & { json: string | undefined } {
      const row = {
        json: undefined as string | undefined,
        read: () => (row.json === undefined ? undefined : JSON.parse(row.json)),
        write: (value: unknown) => void (row.json = JSON.stringify(value)),
      };
      return row;
    }

    it('fetches nothing without OpenRouter configured, nor offline, and does not ask for the key offline', async () => {
      const { pb, fetched } = book({}, { 'some/model': '0.000002' });
      expect(await pb.refreshIfDue(async () => false)).toEqual({ refreshed: false, reason: 'not-configured' });
      let asked = 0;
      const offline = book({}, {}, { offline: true });
      expect(await offline.pb.refreshIfDue(async () => (asked++, true))).toEqual({ refreshed: false, reason: 'offline' });
      expect([...fetched, ...offline.fetched]).toEqual([]);
      expect(asked).toBe(0);
    });

    it('with OpenRouter configured, refreshes once a day, and a restart keeps the prices and the time', async () => {
      const row = savedRow();
      let now = 10 * DAY;
      const first = book({}, { 'some/model': '0.000002' }, { saved: row, now: () => now });
      expect(await first.pb.refreshIfDue(async () => true)).toEqual({ refreshed: true, updated: 1, at: now });
      expect(first.fetched).toHaveLength(1);

      // A restart the same day: the saved prices, no request, and the key is not even asked for.
      now += DAY - 1;
      let asked = 0;
      const second = book({}, { 'some/model': '0.000009' }, { saved: row, now: () => now });
      expect(second.pb.priceOf('openrouter/some/model')).toMatchObject({ input: 2, output: 2 });
      expect(await second.pb.refreshIfDue(async () => (asked++, true))).toEqual({ refreshed: false, reason: 'recent' });
      expect(second.fetched).toEqual([]);
      expect(asked).toBe(0);

      // A day after the last refresh, the next start refreshes again.
      now += 1;
      expect(await second.pb.refreshIfDue(async () => true)).toMatchObject({ refreshed: true, updated: 1 });
      expect(second.pb.priceOf('openrouter/some/model')).toMatchObject({ input: 9, output: 9 });
      expect(JSON.parse(row.json!)).toEqual({ at: now, prices: { 'openrouter/some/model': { input: 9, output: 9 } } });
    });

    it('a refresh dated in the future (the clock was set back) or a saved value of another shape does not count', async () => {
      const row = savedRow();
      row.write({ at: 50 * DAY, prices: {} });
      const { pb, fetched } = book({}, { 'some/model': '0.000002' }, { saved: row, now: () => 10 * DAY });
      expect(await pb.refreshIfDue(async () => true)).toMatchObject({ refreshed: true });
      row.json = JSON.stringify({ when: 'yesterday' });
      const other = book({}, {}, { saved: row, now: () => 10 * DAY });
      expect(other.pb.priceOf('openrouter/some/model')).toEqual({ input: 1, output: 4 });
      expect(await other.pb.refreshIfDue(async () => true)).toMatchObject({ refreshed: true });
      expect(fetched.length + other.fetched.length).toBe(2);
    });
  });
});
