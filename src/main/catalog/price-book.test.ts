import { describe, expect, it } from 'vitest';
import { ModelCatalog } from './model-catalog';
import { PriceBook } from './price-book';
import type { CloudModelEntry } from './schema';

const entry = (id: string, tier: CloudModelEntry['tier'], input: number): CloudModelEntry => ({
  id, provider: id.split('/')[0]!, name: id, tier, contextWindow: 128_000, price: { input, output: input * 4 }, quality: 7, strengths: [], source: '',
});
const base = new ModelCatalog([entry('deepseek/deepseek-chat', 'paid', 0.27), entry('groq/llama-3.1-8b-instant', 'free', 0.05), entry('openrouter/some/model', 'paid', 1)]);

function book(settings: { overrides?: unknown; endpoints?: Record<string, 'local' | 'free' | 'paid'> } = {}, prices: Record<string, string> = {}) {
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
    isOffline: () => false,
    now: () => 1234,
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
});
