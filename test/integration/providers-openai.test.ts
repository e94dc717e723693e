import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardError } from '../../src/shared/errors';
import { OpenAICompatibleProvider, customPreset } from '../../src/main/providers/openai';
import type { StreamPart } from '../../src/main/runner/chat-provider';
import { RateLimitTracker } from '../../src/main/reliability';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';

const KEY = 'gsk_test0123456789abcdef';
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY, models: ['llama-3.1-8b-instant', 'text-embedding-3-small'] });
});
afterAll(() => fake.close());
afterEach(() => fake.clearBehavior());

function groq(options: { key?: string | null; rateLimits?: RateLimitTracker } = {}): OpenAICompatibleProvider {
  return new OpenAICompatibleProvider({
    preset: 'groq',
    getKey: async () => (options.key === undefined ? KEY : options.key),
    env: { GROQ_BASE_URL: `${fake.url}/v1` },
    rateLimits: options.rateLimits,
  });
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

const ask = (content = 'hello there') => ({ model: 'llama-3.1-8b-instant', messages: [{ role: 'user' as const, content }] });
const errorOf = (parts: StreamPart[]): SwitchboardError => {
  const last = parts.at(-1);
  if (last?.type !== 'error') throw new Error(`expected an error part, got ${JSON.stringify(last)}`);
  return last.error;
};

describe('OpenAICompatibleProvider on the openai SDK', () => {
  it('streams deltas, the reported usage and the finish, asking for usage in the stream', async () => {
    fake.setBehavior('*', { reply: 'one two three', usage: { promptTokens: 11 } });
    const parts = await collect(groq().streamChat(ask()));
    expect(parts[0]).toEqual({ type: 'stream-start' });
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text).join('')).toBe('one two three');
    expect(parts.at(-2)).toEqual({ type: 'usage', usage: { inputTokens: 11, outputTokens: 3, estimated: false } });
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const req = fake.requests.at(-1)!;
    expect(req.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('reports no usage part when the server sends none', async () => {
    fake.setBehavior('*', { reply: 'hi', usage: false });
    const parts = await collect(groq().streamChat(ask()));
    expect(parts.some((p) => p.type === 'usage')).toBe(false);
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('a missing key is an auth error naming the variable and Settings, sent nowhere', async () => {
    const before = fake.requests.length;
    const error = errorOf(await collect(groq({ key: null }).streamChat(ask())));
    expect(error).toMatchObject({ code: 'auth', retryable: false });
    expect(error.message).toMatch(/GROQ_API_KEY/);
    expect(error.message).toMatch(/Settings → Providers/);
    expect(fake.requests.length).toBe(before);
  });

  it('a rejected key (401) is auth, names the key, and is sent once (SDK retries are off)', async () => {
    const before = fake.requests.length;
    const error = errorOf(await collect(groq({ key: 'gsk_wrong0123456789' }).streamChat(ask())));
    expect(error.code).toBe('auth');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('The Groq API key was rejected (401). Fix it in Settings → Providers or GROQ_API_KEY.');
    expect(fake.requests.length).toBe(before + 1);
  });

  it('429: Retry-After in seconds, and Groq\'s "Please try again in" hint when there is no header', async () => {
    fake.setBehavior('*', { errorStatus: 429, errorHeaders: { 'retry-after': '2' } });
    const withHeader = errorOf(await collect(groq().streamChat(ask())));
    expect(withHeader).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 2000, status: 429 });
    fake.setBehavior('*', {
      errorStatus: 429,
      errorBody: { error: { message: 'Rate limit reached for model `llama-3.1-8b-instant` on tokens per minute (TPM): Limit 6000, Used 5879, Requested 1234. Please try again in 1.5s.', type: 'tokens', code: 'rate_limit_exceeded' } },
    });
    expect(errorOf(await collect(groq().streamChat(ask()))).retryAfterMs).toBe(1500);
    fake.setBehavior('*', { errorStatus: 429, errorHeaders: { 'retry-after-ms': '750', 'retry-after': '9' } });
    expect(errorOf(await collect(groq().streamChat(ask()))).retryAfterMs).toBe(750);
  });

  it('maps statuses and codes: context too long, unknown model, overload, out of quota', async () => {
    fake.setBehavior('*', { contextWindow: 5 });
    expect(errorOf(await collect(groq().streamChat(ask('a'.repeat(100))))).code).toBe('context_too_long');
    fake.clearBehavior();
    const missing = errorOf(await collect(groq().streamChat({ ...ask(), model: 'no-such-model' })));
    expect(missing).toMatchObject({ code: 'model_not_found', retryable: false });
    fake.setBehavior('*', { errorStatus: 503 });
    expect(errorOf(await collect(groq().streamChat(ask())))).toMatchObject({ code: 'unavailable', retryable: true });
    fake.setBehavior('*', { errorStatus: 429, errorBody: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } } });
    expect(errorOf(await collect(groq().streamChat(ask())))).toMatchObject({ code: 'budget_exceeded', retryable: false });
  });

  it('a socket cut mid-stream is a network error after the partial text', async () => {
    fake.setBehavior('*', { reply: 'one two three four', tokenDelayMs: 2, failAfterTokens: 2 });
    const parts = await collect(groq().streamChat(ask()));
    expect(parts.filter((p) => p.type === 'text-delta')).toHaveLength(2);
    expect(errorOf(parts)).toMatchObject({ code: 'network', retryable: true });
  });

  it('an error event inside the stream maps by its type', async () => {
    fake.setBehavior('*', { reply: 'one two', streamError: { afterTokens: 1, type: 'server_error', message: 'boom' } });
    const error = errorOf(await collect(groq().streamChat(ask())));
    expect(error).toMatchObject({ code: 'unavailable', retryable: true });
  });

  it('the caller\'s AbortSignal aborts the HTTP request and ends as cancelled', async () => {
    fake.setBehavior('*', { reply: 'one two three four five six', tokenDelayMs: 5, stallAfterTokens: 2 });
    const controller = new AbortController();
    const parts: StreamPart[] = [];
    for await (const part of groq().streamChat({ ...ask(), signal: controller.signal })) {
      parts.push(part);
      if (parts.filter((p) => p.type === 'text-delta').length === 2) controller.abort();
    }
    expect(errorOf(parts).code).toBe('cancelled');
    await expect.poll(() => fake.abortedRequests().length).toBeGreaterThan(0);
  });

  it('asks for JSON-schema output through response_format', async () => {
    fake.setBehavior('*', { reply: '{"ok":true}' });
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    await collect(groq().streamChat({ ...ask(), options: { jsonSchema: schema, maxTokens: 50, temperature: 0 } }));
    expect(fake.requests.at(-1)!.body).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'reply', schema } },
      max_tokens: 50,
      temperature: 0,
    });
  });

  it('reports x-ratelimit-* headers to the tracker, per model', async () => {
    const tracker = new RateLimitTracker();
    fake.setBehavior('*', { rateLimit: { limitRequests: 14400, remainingRequests: 1, resetRequests: '2m59.56s', remainingTokens: 5000 } });
    await collect(groq({ rateLimits: tracker }).streamChat(ask()));
    expect(tracker.snapshot('groq/llama-3.1-8b-instant')?.requests).toMatchObject({ limit: 14400, remaining: 1 });
    expect(tracker.isNearlyExhausted('groq/llama-3.1-8b-instant')).toBe(true);
    expect(tracker.isNearlyExhausted('groq/llama-3.3-70b-versatile')).toBe(false);
  });

  it('lists models and embeds in input order', async () => {
    const models = await groq().listModels();
    expect(models.map((m) => m.id)).toContain('groq/llama-3.1-8b-instant');
    expect(models[0]).toMatchObject({ provider: 'groq', tier: 'free' });
    const vectors = await groq().embed({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(vectors).toHaveLength(2);
    expect(vectors[0]).toHaveLength(1536);
  });

  it('a custom endpoint works without a key, and its errors name the endpoint', async () => {
    const open = await startFakeOpenAI({ models: ['local-model'] });
    try {
      const custom = new OpenAICompatibleProvider({ preset: customPreset({ baseUrl: `${open.url}/v1` }), getKey: async () => null });
      const parts = await collect(custom.streamChat({ model: 'local-model', messages: [{ role: 'user', content: 'hi' }] }));
      expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
      expect((await custom.listModels())[0]).toMatchObject({ id: 'custom/local-model', tier: 'local' });
      const missing = errorOf(await collect(custom.streamChat({ model: 'other', messages: [{ role: 'user', content: 'hi' }] })));
      expect(missing.message).toContain(open.url);
    } finally {
      await open.close();
    }
  });
});
