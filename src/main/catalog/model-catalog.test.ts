import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_ROUTER_CONFIG } from '../router/config';
import { CLOUD_CATALOG_RELATIVE_PATH, parseCloudCatalog, readCloudCatalog, refreshOpenRouterPrices } from './index';

const CATALOG_PATH = fileURLToPath(new URL(`../../../${CLOUD_CATALOG_RELATIVE_PATH}`, import.meta.url));

describe('resources/cloud-models.json', () => {
  it('validates and holds the models the router names, with the seed and provider prices', async () => {
    const catalog = await readCloudCatalog(CATALOG_PATH);
    for (const id of [
      'groq/llama-3.1-8b-instant',
      'groq/llama-3.3-70b-versatile',
      'openrouter/deepseek/deepseek-chat',
      'deepseek/deepseek-chat',
      'openai/gpt-4o',
      'openai/gpt-4o-mini',
      'anthropic/claude-haiku-4-5',
      'openrouter/anthropic/claude-haiku-4.5',
      'anthropic/claude-sonnet-5-5',
      'openrouter/anthropic/claude-sonnet-5.5',
      'anthropic/claude-sonnet-4-5',
      'openrouter/google/gemini-3.8-flash',
    ]) {
      expect(catalog.has(id), id).toBe(true);
    }
    // Every model the default router config names has a catalog entry (a price and a context window).
    const named = [...Object.values(DEFAULT_ROUTER_CONFIG.rungs).flat(), DEFAULT_ROUTER_CONFIG.referenceModel].filter((id) => !id.startsWith('ollama/'));
    for (const id of named) expect(catalog.has(id), id).toBe(true);
    // Retired models are gone (Claude 3.5 Haiku and Sonnet, Gemini 1.5 Pro).
    expect(catalog.all().filter((m) => /claude-3|gemini-1\.5/.test(m.id))).toEqual([]);
    // Seed 002.
    expect(catalog.priceOf('deepseek/deepseek-chat')).toEqual({ input: 0.27, output: 1.1 });
    expect(catalog.priceOf('openai/gpt-4o')).toMatchObject({ input: 2.5, output: 10 });
    expect(catalog.priceOf('groq/llama-3.3-70b-versatile')).toEqual({ input: 0.59, output: 0.79 });
    // The providers' pages (see each entry's source); Anthropic cache: write 1.25x, read 0.1x input.
    expect(catalog.priceOf('anthropic/claude-haiku-4-5')).toEqual({ input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 });
    expect(catalog.priceOf('anthropic/claude-sonnet-5-5')).toEqual({ input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5 });
    expect(catalog.priceOf('openrouter/anthropic/claude-sonnet-5.5')).toEqual(catalog.priceOf('anthropic/claude-sonnet-5-5'));
    expect(catalog.priceOf('openrouter/anthropic/claude-haiku-4.5')).toEqual(catalog.priceOf('anthropic/claude-haiku-4-5'));
    expect(catalog.priceOf('openrouter/google/gemini-3.8-flash')).toEqual({ input: 0.75, output: 3.75 });
    expect(catalog.get('anthropic/claude-sonnet-5-5')).toMatchObject({ contextWindow: 1_000_000, maxOutputTokens: 128_000 });
    expect(catalog.get('anthropic/claude-haiku-4-5')).toMatchObject({ contextWindow: 200_000, maxOutputTokens: 64_000 });
    expect(catalog.get('openrouter/google/gemini-3.8-flash')).toMatchObject({ contextWindow: 1_048_576, maxOutputTokens: 65_536 });
    // Groq is the free tier, everything else paid.
    expect(catalog.all().every((m) => m.tier === (m.provider === 'groq' ? 'free' : 'paid'))).toBe(true);
    expect(catalog.get('groq/llama-3.1-8b-instant')?.freeTier).toMatchObject({ requestsPerDay: 14_400, tokensPerMinute: 6_000 });
    expect(catalog.toModelInfo().find((m) => m.id === 'openai/gpt-4o')).toMatchObject({ provider: 'openai', name: 'gpt-4o', tier: 'paid', contextLength: 128_000 });
  });

  it('refuses an entry whose id does not start with its provider, and duplicate ids', () => {
    const entry = { id: 'groq/x', provider: 'groq', name: 'x', tier: 'free', contextWindow: 1, price: { input: 0, output: 0 }, quality: 5 };
    expect(() => parseCloudCatalog({ version: 1, asOf: 'x', models: [{ ...entry, provider: 'openai' }] })).toThrow(/id must start with the provider/);
    expect(() => parseCloudCatalog({ version: 1, asOf: 'x', models: [entry, entry] })).toThrow(/unique/);
  });

  it('merges Settings overrides over prices, and refuses bad ones', async () => {
    const catalog = await readCloudCatalog(CATALOG_PATH);
    const next = catalog.withOverrides({ 'openai/gpt-4o': { input: 2 }, 'not/a-model': { input: 1 } });
    expect(next.priceOf('openai/gpt-4o')).toMatchObject({ input: 2, output: 10, cacheRead: 1.25 });
    expect(catalog.priceOf('openai/gpt-4o')?.input).toBe(2.5); // the original is untouched
    expect(next.has('not/a-model')).toBe(false);
    expect(() => catalog.withOverrides({ 'openai/gpt-4o': { input: -1 } })).toThrow(/openai\/gpt-4o\.input/);
  });
});

describe('OpenRouter price refresh', () => {
  it('refuses to run offline, sending nothing', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    await expect(refreshOpenRouterPrices({ fetch, offline: true })).rejects.toMatchObject({ code: 'offline' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('turns USD-per-token strings into per-1M overrides the catalog takes', async () => {
    const body = {
      data: [
        { id: 'deepseek/deepseek-chat', pricing: { prompt: '0.00000030', completion: '0.0000012', input_cache_read: '0.00000007' }, context_length: 163840 },
        { id: 'openrouter/auto', pricing: { prompt: '-1', completion: '-1' } },
      ],
    };
    const fetch = vi.fn<typeof globalThis.fetch>(async () => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }));
    const prices = await refreshOpenRouterPrices({ fetch, offline: false });
    expect(fetch).toHaveBeenCalledWith('https://openrouter.ai/api/v1/models', expect.anything());
    expect(prices).toEqual({ 'openrouter/deepseek/deepseek-chat': { input: 0.3, output: 1.2, cacheRead: 0.07 } });
    const catalog = (await readCloudCatalog(CATALOG_PATH)).withOverrides(prices);
    expect(catalog.priceOf('openrouter/deepseek/deepseek-chat')).toEqual({ input: 0.3, output: 1.2, cacheRead: 0.07 });
  });

  it('reports an HTTP failure in the taxonomy', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => new Response('busy', { status: 503 }));
    await expect(refreshOpenRouterPrices({ fetch, offline: false })).rejects.toMatchObject({ code: 'unavailable', status: 503 });
  });
});
