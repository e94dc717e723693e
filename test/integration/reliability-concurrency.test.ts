import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OllamaProvider } from '../../src/main/providers/ollama';
import { OpenAICompatibleProvider } from '../../src/main/providers/openai';
import { ProviderRegistry } from '../../src/main/providers/registry';
import type { StreamPart } from '../../src/main/runner/chat-provider';
import { ConcurrencyLimiter, RateLimitTracker, ReliableChat } from '../../src/main/reliability';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';

let fake: FakeOpenAI;
let ollama: FakeOllama;

beforeAll(async () => {
  fake = await startFakeOpenAI({ models: ['gpt-4o-mini', 'gpt-4o'] });
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b' }] });
});
afterAll(async () => {
  await fake.close();
  await ollama.close();
});

function setup(rateLimits = new RateLimitTracker()): ReliableChat {
  const registry = new ProviderRegistry();
  registry.register(new OpenAICompatibleProvider({ preset: 'openai', getKey: async () => 'sk-concurrency0123456789', env: { OPENAI_BASE_URL: `${fake.url}/v1` }, rateLimits }));
  registry.register(new OllamaProvider({ host: () => ollama.url }));
  return new ReliableChat({ providers: registry, rateLimits });
}

async function run(chat: ReliableChat, candidates: string[], content = 'hi'): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of chat.stream({ candidates, messages: [{ role: 'user', content }] })) out.push(p);
  return out;
}

describe('concurrency and rate limits', () => {
  it('50 parallel requests never exceed 5 at once per cloud key, and all complete', async () => {
    fake.setBehavior('gpt-4o-mini', { reply: 'a b c d e', tokenDelayMs: 2 });
    const chat = setup();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => run(chat, ['openai/gpt-4o-mini'], `request ${i}`)));
    expect(results.every((parts) => parts.at(-1)?.type === 'finish')).toBe(true);
    expect(fake.maxInflight('gpt-4o-mini')).toBe(5);
    expect(chat.concurrencyStats().openai).toMatchObject({ active: 0, queued: 0, limit: 5, peak: 5 });
  });

  it('an Ollama host gets 2 slots', async () => {
    ollama.setBehavior('llama3.2:3b', { reply: 'a b c', tokenDelayMs: 3 });
    const chat = setup();
    await Promise.all(Array.from({ length: 10 }, () => run(chat, ['ollama/llama3.2:3b'])));
    expect(ollama.maxInflight('llama3.2:3b')).toBe(2);
  });

  it('serves waiters first in, first out, and drops a waiter whose caller gave up', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const release = await limiter.acquire();
    const order: number[] = [];
    const gaveUp = new AbortController();
    const waiters = [1, 2, 3].map((n) =>
      limiter.acquire(n === 2 ? gaveUp.signal : undefined).then(
        (done) => {
          order.push(n);
          done();
        },
        () => order.push(-n),
      ),
    );
    gaveUp.abort();
    release();
    await Promise.all(waiters);
    expect(order).toEqual([-2, 1, 3]);
  });

  it('a nearly exhausted model is reported rate_limited up front and skipped, without a request', async () => {
    const tracker = new RateLimitTracker();
    const chat = setup(tracker);
    fake.setBehavior('gpt-4o-mini', { reply: 'last one', rateLimit: { remainingRequests: 1, resetRequests: '1h0m0s' } });
    fake.setBehavior('gpt-4o', { reply: 'from 4o' });
    expect((await run(chat, ['openai/gpt-4o-mini', 'openai/gpt-4o'])).at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    expect(chat.isNearlyExhausted('openai/gpt-4o-mini')).toBe(true);
    expect(chat.isNearlyExhausted('openai/gpt-4o')).toBe(false);

    const sent = fake.requests.filter((r) => r.model === 'gpt-4o-mini').length;
    const parts = await run(chat, ['openai/gpt-4o-mini', 'openai/gpt-4o']);
    expect(parts[0]).toMatchObject({ type: 'fallback', from: 'openai/gpt-4o-mini', to: 'openai/gpt-4o', error: { code: 'rate_limited' } });
    const wait = (parts[0] as { error: { retryAfterMs: number } }).error.retryAfterMs;
    expect(wait).toBeGreaterThan(59 * 60_000);
    expect(fake.requests.filter((r) => r.model === 'gpt-4o-mini').length).toBe(sent);
    expect(parts.flatMap((p) => (p.type === 'text-delta' ? [p.text] : [])).join('')).toBe('from 4o');
  });

  it('a consumer that stops reading aborts the HTTP request and frees its slot', async () => {
    fake.setBehavior('gpt-4o', { reply: 'one two three four five six', tokenDelayMs: 5, stallAfterTokens: 3 });
    const chat = setup();
    const before = fake.abortedRequests().length;
    for await (const part of chat.stream({ candidates: ['openai/gpt-4o'], messages: [{ role: 'user', content: 'hi' }] })) {
      if (part.type === 'text-delta') break;
    }
    await expect.poll(() => fake.abortedRequests().length).toBe(before + 1);
    expect(chat.concurrencyStats().openai).toMatchObject({ active: 0 });
    expect(chat.healthSnapshots()[0]).toMatchObject({ state: 'closed', failures: 0 });
  });

  it('counts tokens too: fewer tokens left than the prompt needs skips the model', () => {
    const tracker = new RateLimitTracker({ reserveTokens: 100 });
    tracker.observe('groq/llama-3.1-8b-instant', new Headers({ 'x-ratelimit-remaining-requests': '900', 'x-ratelimit-remaining-tokens': '800', 'x-ratelimit-reset-tokens': '7.66s' }));
    expect(tracker.isNearlyExhausted('groq/llama-3.1-8b-instant', 500)).toBe(false);
    expect(tracker.isNearlyExhausted('groq/llama-3.1-8b-instant', 1200)).toBe(true);
  });
});
