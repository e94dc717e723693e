import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardError } from '../../src/shared/errors';
import { readCloudCatalog, type ModelCatalog } from '../../src/main/catalog';
import { ProviderRegistry } from '../../src/main/providers/registry';
import { AnthropicProvider, minCacheableTokens, toAnthropicPrompt } from '../../src/main/providers/anthropic';
import type { StreamPart } from '../../src/main/runner/chat-provider';
import { RateLimitTracker, ReliableChat } from '../../src/main/reliability';
import type { CallRecord } from '../../src/main/runner';
import { startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic';

const KEY = 'sk-ant-test0123456789abcdef';
const SONNET = 'claude-sonnet-5-5';
const HAIKU = 'claude-haiku-4-5';
let fake: FakeAnthropic;
let catalog: ModelCatalog;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY, models: [SONNET, HAIKU], promptCacheMinTokens: 1024 });
  catalog = await readCloudCatalog(fileURLToPath(new URL('../../resources/cloud-models.json', import.meta.url)));
});
afterAll(() => fake.close());
afterEach(() => {
  fake.clearBehavior();
  fake.clearPromptCache();
});

function anthropic(options: { key?: string | null; rateLimits?: RateLimitTracker } = {}): AnthropicProvider {
  return new AnthropicProvider({
    getKey: async () => (options.key === undefined ? KEY : options.key),
    env: { ANTHROPIC_BASE_URL: fake.url },
    rateLimits: options.rateLimits,
    maxOutputTokens: (model) => catalog.get(`anthropic/${model}`)?.maxOutputTokens,
  });
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}
const errorOf = (parts: StreamPart[]): SwitchboardError => {
  const last = parts.at(-1);
  if (last?.type !== 'error') throw new Error(`expected an error part, got ${JSON.stringify(last)}`);
  return last.error;
};

// ~1250 tokens for the fake's chars/4 count, and for ours.
const LONG_SYSTEM = 'You review TypeScript for a desktop app; cite the line, explain the risk. '.repeat(68);

describe('AnthropicProvider on @anthropic-ai/sdk', () => {
  it('streams text, usage and finish; sends max_tokens from the catalog', async () => {
    fake.setBehavior('*', { reply: 'Hello from Claude' });
    const parts = await collect(anthropic().streamChat({ model: SONNET, messages: [{ role: 'user', content: 'hi' }] }));
    expect(parts[0]).toEqual({ type: 'stream-start' });
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text).join('')).toBe('Hello from Claude');
    const usage = parts.find((p) => p.type === 'usage');
    expect(usage).toMatchObject({ usage: { outputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, estimated: false } });
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    expect(fake.requests.at(-1)!.body).toMatchObject({ max_tokens: 128_000, stream: true });
  });

  it('marks a long system prompt and the stable history for caching, and reports cache reads', async () => {
    const messages = [
      { role: 'system' as const, content: LONG_SYSTEM },
      { role: 'user' as const, content: 'first question' },
      { role: 'assistant' as const, content: 'first answer' },
      { role: 'user' as const, content: 'second question' },
    ];
    const first = await collect(anthropic().streamChat({ model: SONNET, messages }));
    const body = fake.requests.at(-1)!.body;
    expect(body.system[0].cache_control).toEqual({ type: 'ephemeral' });
    expect(body.messages[1].content[0].cache_control).toEqual({ type: 'ephemeral' });
    expect(body.messages[2].content[0].cache_control).toBeUndefined();
    expect(first.find((p) => p.type === 'usage')).toMatchObject({ usage: { cachedInputTokens: 0 } });
    const second = await collect(anthropic().streamChat({ model: SONNET, messages }));
    const usage = (second.find((p) => p.type === 'usage') as { usage: { inputTokens: number; cachedInputTokens: number } }).usage;
    expect(usage.cachedInputTokens).toBeGreaterThan(1000);
    expect(usage.inputTokens).toBeGreaterThan(usage.cachedInputTokens);
  });

  it('places no breakpoint below the model minimum (1024 Sonnet, 4096 Haiku 4.5)', () => {
    expect(minCacheableTokens(SONNET)).toBe(1024);
    expect(minCacheableTokens(HAIKU)).toBe(4096);
    expect(minCacheableTokens('claude-haiku-4-5-20251001')).toBe(4096);
    const messages = [{ role: 'system' as const, content: LONG_SYSTEM }, { role: 'user' as const, content: 'q' }];
    expect(toAnthropicPrompt(messages, SONNET).breakpoints).toBe(1);
    expect(toAnthropicPrompt(messages, HAIKU).breakpoints).toBe(0);
    // ~2700 tokens: past the 2048 of the retired Claude 3.x Haiku, under Haiku 4.5's 4096; ~5400 is over it.
    const two = [{ role: 'system' as const, content: LONG_SYSTEM.repeat(2) }, { role: 'user' as const, content: 'q' }];
    expect(toAnthropicPrompt(two, HAIKU).breakpoints).toBe(0);
    expect(toAnthropicPrompt(two, SONNET).breakpoints).toBe(1);
    const four = [{ role: 'system' as const, content: LONG_SYSTEM.repeat(4) }, { role: 'user' as const, content: 'q' }];
    expect(toAnthropicPrompt(four, HAIKU).breakpoints).toBe(1);
    expect(toAnthropicPrompt([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'q' }], SONNET).system?.[0]?.cache_control).toBeUndefined();
  });

  it('prices cache reads at the cache price in the call record', async () => {
    const records: CallRecord[] = [];
    const registry = new ProviderRegistry();
    registry.register(anthropic());
    const chat = new ReliableChat({
      providers: registry,
      tierOf: (id) => catalog.tierOf(id),
      pricing: (id) => catalog.priceOf(id),
      recorder: { record: (r) => records.push(r) },
    });
    const request = { candidates: [`anthropic/${SONNET}`], messages: [{ role: 'system' as const, content: LONG_SYSTEM }, { role: 'user' as const, content: 'q' }] };
    await collect(chat.stream(request));
    await collect(chat.stream(request));
    const [write, read] = records;
    const price = catalog.priceOf(`anthropic/${SONNET}`)!;
    expect(price).toMatchObject({ input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5 });
    expect(write!.cacheWriteTokens).toBeGreaterThan(1000);
    expect(write!.costUsd).toBeCloseTo(((write!.inputTokens - write!.cacheWriteTokens) * 2 + write!.cacheWriteTokens * 2.5 + write!.outputTokens * 10) / 1e6, 12);
    expect(read!.cachedInputTokens).toBeGreaterThan(1000);
    expect(read!.costUsd).toBeCloseTo(((read!.inputTokens - read!.cachedInputTokens) * 2 + read!.cachedInputTokens * 0.2 + read!.outputTokens * 10) / 1e6, 12);
    expect(read!.costUsd).toBeLessThan(write!.costUsd / 3);
    expect(read!.estimated).toBe(false);
  });

  it('maps errors: 401 names the key, 529 overloaded, prompt too long, 429 Retry-After, in-stream error', async () => {
    const auth = errorOf(await collect(anthropic({ key: 'sk-ant-wrong0123456789' }).streamChat({ model: SONNET, messages: [{ role: 'user', content: 'hi' }] })));
    expect(auth.message).toBe('The Anthropic API key was rejected (401). Fix it in Settings → Providers or ANTHROPIC_API_KEY.');
    expect(errorOf(await collect(anthropic({ key: null }).streamChat({ model: SONNET, messages: [{ role: 'user', content: 'hi' }] }))).message).toMatch(/ANTHROPIC_API_KEY/);

    const ask = { model: SONNET, messages: [{ role: 'user' as const, content: 'hi' }] };
    fake.setBehavior('*', { errorStatus: 529 });
    expect(errorOf(await collect(anthropic().streamChat(ask)))).toMatchObject({ code: 'unavailable', retryable: true, status: 529 });
    fake.setBehavior('*', { contextWindow: 1 });
    expect(errorOf(await collect(anthropic().streamChat({ ...ask, messages: [{ role: 'user', content: 'a long question here' }] })))).toMatchObject({ code: 'context_too_long', retryable: false });
    fake.setBehavior('*', { errorStatus: 429, errorHeaders: { 'retry-after': '3' } });
    expect(errorOf(await collect(anthropic().streamChat(ask)))).toMatchObject({ code: 'rate_limited', retryAfterMs: 3000 });
    fake.setBehavior('*', { reply: 'one two three', streamError: { afterTokens: 1 } });
    const parts = await collect(anthropic().streamChat(ask));
    expect(parts.filter((p) => p.type === 'text-delta')).toHaveLength(1);
    expect(errorOf(parts)).toMatchObject({ code: 'unavailable', retryable: true });
  });

  it('reports anthropic-ratelimit-* headers per organisation', async () => {
    const tracker = new RateLimitTracker();
    fake.setBehavior('*', { rateLimit: { remainingRequests: 0, resetRequests: new Date(Date.now() + 60_000).toISOString() } });
    await collect(anthropic({ rateLimits: tracker }).streamChat({ model: SONNET, messages: [{ role: 'user', content: 'hi' }] }));
    expect(tracker.isNearlyExhausted('anthropic')).toBe(true);
    expect(tracker.isNearlyExhausted(`anthropic/${HAIKU}`)).toBe(true);
  });

  it('lists models', async () => {
    const models = await anthropic().listModels();
    expect(models.map((m) => m.id).sort()).toEqual([`anthropic/${HAIKU}`, `anthropic/${SONNET}`]);
  });
});
