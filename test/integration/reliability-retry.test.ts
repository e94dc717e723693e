import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpenAICompatibleProvider } from '../../src/main/providers/openai';
import { ProviderRegistry } from '../../src/main/providers/registry';
import type { StreamPart } from '../../src/main/runner/chat-provider';
import { RateLimitTracker, ReliableChat, realClock, type Clock, type ReliableChatOptions } from '../../src/main/reliability';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';

const KEY = 'gsk_retry0123456789abcdef';
const FAST = 'groq/llama-3.1-8b-instant';
const BIG = 'groq/llama-3.3-70b-versatile';
let fake: FakeOpenAI;
let sleeps: number[];

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY, models: ['llama-3.1-8b-instant', 'llama-3.3-70b-versatile'] });
});
afterAll(() => fake.close());
afterEach(() => fake.clearBehavior());

/** Real timers for timeouts, recorded (instant) backoff sleeps. */
function recordingClock(): Clock {
  sleeps = [];
  return { ...realClock, sleep: async (ms) => void sleeps.push(ms) };
}

function setup(options: Partial<ReliableChatOptions> = {}, key = KEY): ReliableChat {
  const rateLimits = new RateLimitTracker();
  const registry = new ProviderRegistry();
  registry.register(new OpenAICompatibleProvider({ preset: 'groq', getKey: async () => key, env: { GROQ_BASE_URL: `${fake.url}/v1` }, rateLimits }));
  return new ReliableChat({ providers: registry, rateLimits, clock: recordingClock(), random: () => 0.999, ...options });
}

async function run(chat: ReliableChat, candidates: string[]): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of chat.stream({ candidates, messages: [{ role: 'user', content: 'hi' }] })) out.push(p);
  return out;
}
const chatRequests = () => fake.requests.filter((r) => r.path === '/v1/chat/completions');

describe('retries', () => {
  it('retries a 429 with Retry-After: 2 no sooner than 2 s after it (real timers)', async () => {
    fake.setBehavior('llama-3.1-8b-instant', { errorStatus: 429, errorHeaders: { 'retry-after': '2' }, times: 1 });
    fake.setBehavior('llama-3.1-8b-instant', { reply: 'finally' });
    const before = chatRequests().length;
    const parts = await run(setup({ clock: realClock }), [FAST]);
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const [refused, retried] = chatRequests().slice(before);
    expect(refused?.completed).toBe(true);
    expect(retried!.startedAt - refused!.endedAt!).toBeGreaterThanOrEqual(2000);
  });

  it('backs off exponentially with full jitter on 5xx, then succeeds', async () => {
    fake.setBehavior('llama-3.1-8b-instant', { errorStatus: 503, times: 2 });
    const before = chatRequests().length;
    const parts = await run(setup(), [FAST]);
    expect(parts.map((p) => p.type)).toEqual(['text-delta', 'text-delta', 'text-delta', 'usage', 'finish']);
    expect(chatRequests().length - before).toBe(3);
    // random() = 0.999 → just under the ceilings 500 ms and 1000 ms.
    expect(sleeps).toEqual([499, 999]);
  });

  it('waits at least the Retry-After when it is longer than the backoff', async () => {
    fake.setBehavior('llama-3.1-8b-instant', { errorStatus: 429, errorHeaders: { 'retry-after': '5' }, times: 1 });
    await run(setup(), [FAST]);
    expect(sleeps).toEqual([5000]);
  });

  it('never retries a 401; the error names the key', async () => {
    const before = chatRequests().length;
    const parts = await run(setup({}, 'gsk_wrong0123456789'), [FAST]);
    expect(chatRequests().length - before).toBe(1);
    expect(sleeps).toEqual([]);
    expect(parts).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'auth', message: 'The Groq API key was rejected (401). Fix it in Settings → Providers or GROQ_API_KEY.' }) }]);
  });

  it('gives up after the attempts and returns the last error', async () => {
    fake.setBehavior('llama-3.1-8b-instant', { errorStatus: 500 });
    const before = chatRequests().length;
    const parts = await run(setup({ retry: { maxAttempts: 3 } }), [FAST]);
    expect(chatRequests().length - before).toBe(3);
    expect(parts).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'unavailable', status: 500 }) }]);
  });

  it('a wait longer than the retry budget goes to the next model, and the model is skipped until then', async () => {
    fake.setBehavior('llama-3.1-8b-instant', { errorStatus: 429, errorHeaders: { 'retry-after': '120' } });
    fake.setBehavior('llama-3.3-70b-versatile', { reply: 'big model here' });
    const chat = setup();
    const first = await run(chat, [FAST, BIG]);
    expect(sleeps).toEqual([]);
    expect(first[0]).toMatchObject({ type: 'fallback', from: FAST, to: BIG, error: { code: 'rate_limited', retryAfterMs: 120_000 } });
    const before = fake.requests.filter((r) => r.model === 'llama-3.1-8b-instant').length;
    const second = await run(chat, [FAST, BIG]);
    expect(second[0]).toMatchObject({ type: 'fallback', error: { code: 'rate_limited', details: { skipped: true } } });
    expect(fake.requests.filter((r) => r.model === 'llama-3.1-8b-instant').length).toBe(before);
    expect(chat.isNearlyExhausted(FAST)).toBe(true);
  });

  it('stops waiting for a retry when the caller aborts', async () => {
    fake.setBehavior('llama-3.1-8b-instant', { errorStatus: 503, errorHeaders: { 'retry-after': '10' } });
    const chat = setup({ clock: realClock });
    const controller = new AbortController();
    const parts: StreamPart[] = [];
    setTimeout(() => controller.abort(), 50);
    for await (const p of chat.stream({ candidates: [FAST], messages: [{ role: 'user', content: 'hi' }], signal: controller.signal })) parts.push(p);
    expect(parts).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'cancelled' }) }]);
  });
});
