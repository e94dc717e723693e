// Issue #15 follow-up: `/v1/embeddings` is a model call like any other. A cloud embedding is reserved
// against the budget, refused at the stop threshold before any request leaves, and logged in `calls`
// with purpose `embedding` and its cost (or "cost unknown" without a price); a local one is logged at
// no cost. Driven by the real `openai` client against the running endpoint, with the fake OpenAI
// upstream (as the `openai` provider) and the fake Ollama behind it.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { closedPort, createTestApp, type TestApp } from '../helpers/app-harness';

const TOKEN = 'sb-embeddings-budget-token-0123456789';
const KEY = 'sk-test-embeddings-0123456789abcdef';
const PRICED = 'openai/text-embedding-3-small';
const UNPRICED = 'openai/text-embedding-3-large';
const LOCAL = 'ollama/nomic-embed-text:latest';
/** USD per 1M input tokens set for PRICED in Settings → Prices (OpenAI's list price). */
const PRICE_IN = 0.02;

let openai: FakeOpenAI;
let ollama: FakeOllama;
let h: TestApp | null = null;

beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKey: KEY, models: ['text-embedding-3-small', 'text-embedding-3-large', 'gpt-4o-mini'] });
  ollama = await startFakeOllama({ models: [{ name: 'nomic-embed-text:latest', embedding: true, parameterSize: '137M', embeddingDim: 8 }] });
});
afterAll(async () => {
  await openai.close();
  await ollama.close();
});
afterEach(async () => {
  await h?.close();
  h = null;
  openai.clearBehavior();
});

async function start(): Promise<{ t: TestApp; client: OpenAI }> {
  const t = createTestApp({ ollamaUrl: ollama.url, apiServer: true, env: { OPENAI_BASE_URL: `${openai.url}/v1`, OPENAI_API_KEY: KEY, SWITCHBOARD_API_TOKEN: TOKEN } });
  h = t;
  t.app.services.settings.update({
    apiServer: { enabled: true, port: await closedPort() },
    priceOverrides: { [PRICED]: { input: PRICE_IN, output: 0 } },
    router: { cost: { dailyBudgetUsd: 0.15, warnThresholdUsd: 0.1, stopThresholdUsd: 0.2 } },
  });
  const { baseUrl } = await t.app.call('api.status', {});
  return { t, client: new OpenAI({ baseURL: baseUrl!, apiKey: TOKEN, maxRetries: 0 }) };
}

const upstreamEmbeds = () => openai.requests.filter((r) => r.path === '/v1/embeddings').length;
const callsOf = (t: TestApp, modelId: string) => t.app.services.calls.list({ modelId });

/** Today's spend put past the stop threshold by one expensive call in the log. */
function pastTheStop(t: TestApp): void {
  const now = Date.now();
  t.app.services.calls.record({
    messageId: null, modelId: 'openai/gpt-4o', provider: 'openai', tier: 'paid', startedAt: now, firstTokenAt: now, endedAt: now, status: 'ok', errorCode: null,
    inputTokens: 10_000, outputTokens: 20_000, cachedInputTokens: 0, cacheWriteTokens: 0, costUsd: 0.25, estimated: false, attempt: 1, fallbackFrom: null, purpose: 'chat',
  });
  expect(t.app.services.routing.ledger.state().level).toBe('stopped');
}

describe('/v1/embeddings with a cloud model', () => {
  it('a priced model is logged with purpose `embedding` and its cost, and the reservation is settled', async () => {
    const { t, client } = await start();
    const before = upstreamEmbeds();
    const input = ['The quick brown fox jumps over the lazy dog.', 'Budgets apply to every paid model call.'];
    const res = await client.embeddings.create({ model: PRICED, input });
    expect(res.data).toHaveLength(2);
    expect(upstreamEmbeds()).toBe(before + 1);

    const [row, ...more] = callsOf(t, PRICED);
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({ purpose: 'embedding', provider: 'openai', tier: 'paid', status: 'ok', inputTokens: res.usage.prompt_tokens, outputTokens: 0 });
    expect(row!.inputTokens).toBeGreaterThan(0);
    expect(row!.costUsd).toBeCloseTo((res.usage.prompt_tokens * PRICE_IN) / 1_000_000, 12);
    expect(row!.costUnknown).toBeUndefined();
    // The dashboard's "Cost by purpose" (rollups kept by the insert trigger) counts it.
    expect(t.app.services.calls.spendByPurpose()).toContainEqual(expect.objectContaining({ purpose: 'embedding', calls: 1, costUsd: row!.costUsd }));
    // Nothing is left held: the worst case reserved before the call was settled at its cost.
    expect(t.app.services.routing.ledger.state().day).toMatchObject({ heldUsd: 0 });
  });

  it('a model without a price is logged as cost unknown, not as free', async () => {
    const { t, client } = await start();
    const res = await client.embeddings.create({ model: UNPRICED, input: 'A model nobody has priced yet.' });
    expect(res.data).toHaveLength(1);
    const [row] = callsOf(t, UNPRICED);
    expect(row).toMatchObject({ purpose: 'embedding', tier: 'paid', status: 'ok', costUnknown: true });
    expect(row!.inputTokens).toBeGreaterThan(0);
    // Counted at OpenAI's dearest known price, so the budget sees it until a price is set.
    const dearest = t.app.services.prices.highestPriceOf('openai')!;
    expect(row!.costUsd).toBeCloseTo((row!.inputTokens * dearest.input) / 1_000_000, 12);
    expect(row!.costUsd).toBeGreaterThan(0);
  });

  it('at the stop threshold it is refused with a clear error and no request upstream; a local model still embeds', async () => {
    const { t, client } = await start();
    pastTheStop(t);
    const before = upstreamEmbeds();
    for (const model of [PRICED, UNPRICED]) {
      const refused = await client.embeddings.create({ model, input: 'Should never leave the machine.' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
      const e = refused as InstanceType<typeof OpenAI.RateLimitError>;
      expect(e.status).toBe(429);
      expect(e.code).toBe('budget_exceeded');
      expect(e.message).toMatch(new RegExp(`stop threshold.*${model}.* is a paid model.*only local models run`));
    }
    expect(upstreamEmbeds()).toBe(before);
    expect(callsOf(t, PRICED)).toHaveLength(0);
    expect(callsOf(t, UNPRICED)).toHaveLength(0);

    const local = await client.embeddings.create({ model: LOCAL, input: 'Local models run at the stop threshold.' });
    expect(local.data[0]?.embedding).toHaveLength(8);
  });
});

describe('/v1/embeddings worst case', () => {
  it('an unpriced model reserves at the provider\'s dearest price: a request whose worst case passes the stop is refused before it leaves', async () => {
    const { t, client } = await start();
    const now = Date.now();
    t.app.services.calls.record({
      messageId: null, modelId: 'openai/gpt-4o', provider: 'openai', tier: 'paid', startedAt: now, firstTokenAt: now, endedAt: now, status: 'ok', errorCode: null,
      inputTokens: 1_000, outputTokens: 1_000, cachedInputTokens: 0, cacheWriteTokens: 0, costUsd: 0.19, estimated: false, attempt: 1, fallbackFrom: null, purpose: 'chat',
    });
    expect(t.app.services.routing.ledger.state().level).not.toBe('stopped');
    const before = upstreamEmbeds();
    // 10,000 bytes at openai/gpt-4o's $2.50 per 1M input tokens (the dearest OpenAI price in the catalog): $0.025 > the $0.01 left.
    const refused = await client.embeddings.create({ model: UNPRICED, input: 'word '.repeat(2_000) }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('budget_exceeded');
    expect((refused as Error).message).toMatch(/could cost up to \$0\.03.*daily stop threshold of \$0\.20/);
    expect(upstreamEmbeds()).toBe(before);
    expect(callsOf(t, UNPRICED)).toHaveLength(0);
    // A short one fits and runs.
    await client.embeddings.create({ model: UNPRICED, input: 'short' });
    expect(upstreamEmbeds()).toBe(before + 1);
    expect(t.app.services.routing.ledger.state().day).toMatchObject({ heldUsd: 0 });
  });
});

describe('/v1/embeddings upstream failure', () => {
  it('a failed cloud call gives its reservation back and is logged as an error, at no cost', async () => {
    const { t, client } = await start();
    openai.setBehavior('text-embedding-3-small', { errorStatus: 500, times: 1 });
    const failed = await client.embeddings.create({ model: PRICED, input: 'The upstream fails this one.' }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(OpenAI.APIError);
    const [row, ...more] = callsOf(t, PRICED);
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({ purpose: 'embedding', tier: 'paid', status: 'error', costUsd: 0, inputTokens: 0 });
    expect(row!.errorCode).not.toBeNull();
    expect(t.app.services.routing.ledger.state().day).toMatchObject({ heldUsd: 0, spentUsd: 0 });
  });
});

describe('/v1/embeddings in offline mode', () => {
  it('a cloud model is refused with a clear error, no request upstream and nothing held or logged', async () => {
    const { t, client } = await start();
    t.app.services.settings.update({ offlineMode: true });
    const before = upstreamEmbeds();
    const refused = await client.embeddings.create({ model: PRICED, input: 'Offline: stays on this machine.' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.InternalServerError);
    const e = refused as InstanceType<typeof OpenAI.InternalServerError>;
    expect(e.status).toBe(503);
    expect(e.code).toBe('offline');
    expect(e.message).toMatch(/Offline mode is on.*openai\/text-embedding-3-small is a cloud model.*only local models run/);
    expect(callsOf(t, PRICED)).toHaveLength(0);
    expect(upstreamEmbeds()).toBe(before);
    expect(t.app.services.routing.ledger.state().day).toMatchObject({ heldUsd: 0, spentUsd: 0 });
    const local = await client.embeddings.create({ model: LOCAL, input: 'Local embedding models still run offline.' });
    expect(local.data[0]?.embedding).toHaveLength(8);
  });
});

describe('/v1/embeddings with a local model', () => {
  it('is logged at zero cost so the dashboard counts it', async () => {
    const { t, client } = await start();
    const res = await client.embeddings.create({ model: LOCAL, input: ['first local text', 'second local text'], encoding_format: 'float' });
    expect(res.data).toHaveLength(2);
    const [row] = callsOf(t, LOCAL);
    expect(row).toMatchObject({ purpose: 'embedding', provider: 'ollama', tier: 'local', status: 'ok', costUsd: 0, inputTokens: res.usage.prompt_tokens });
    expect(row!.costUnknown).toBeUndefined();
    expect(t.app.services.calls.spendByPurpose()).toContainEqual(expect.objectContaining({ purpose: 'embedding', calls: 1, costUsd: 0 }));
  });
});
