import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { closedPort, createTestApp, type TestApp } from '../helpers/app-harness';
import { startHeadless } from '../helpers/headless-harness';

/**
 * Issue #16 item 6: a request over the model's context is the client's to shorten, so `/v1` answers
 * as OpenAI does — 400 `context_length_exceeded` on `messages` — and never a 503 the SDKs retry.
 */
const TOKEN = 'sb-test-token-context-0123456789';
const DEEPSEEK_KEY = 'sk-deepseek-api-test-context-1234';
let ollama: FakeOllama;
let deepseek: FakeOpenAI;
let h: TestApp | undefined;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama', contextLength: 2048 }], defaultBehavior: { reply: 'Hello.' } });
  deepseek = await startFakeOpenAI({ models: ['deepseek-chat'], apiKey: DEEPSEEK_KEY });
});
afterAll(async () => {
  await Promise.all([ollama.close(), deepseek.close()]);
});
afterEach(async () => {
  await close?.();
  close = undefined;
  h = undefined;
});

const env = () => ({ SWITCHBOARD_API_TOKEN: TOKEN, DEEPSEEK_API_KEY: DEEPSEEK_KEY, DEEPSEEK_BASE_URL: `${deepseek.url}/v1` });

/** The desktop app's `/v1`, and an official client that does not retry (so a 503 shows as one). */
async function desktopClient(): Promise<OpenAI> {
  h = createTestApp({ ollamaUrl: ollama.url, apiServer: true, env: env() });
  const harness = h;
  close = () => harness.close();
  harness.app.services.settings.update({ apiServer: { enabled: true, port: await closedPort() } });
  return new OpenAI({ baseURL: (await harness.app.call('api.status', {})).baseUrl!, apiKey: TOKEN, maxRetries: 0 });
}

async function headlessClient(): Promise<OpenAI> {
  const hh = await startHeadless({ ollamaUrl: ollama.url, env: env() });
  close = () => hh.close();
  return new OpenAI({ baseURL: `${hh.server.url}/v1`, apiKey: TOKEN, maxRetries: 0 });
}

/** ~50K tokens: over the local model's 2K window and the 64K-token DeepSeek window is not reached. */
const LONG = 'The quick brown fox jumps over the lazy dog. '.repeat(20_000);

async function refusal(client: OpenAI, model: string, content = LONG, stream = false): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    if (stream) {
      const s = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content }] });
      for await (const chunk of s) void chunk;
    } else {
      await client.chat.completions.create({ model, messages: [{ role: 'user', content }] });
    }
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error(`expected ${model} to refuse the request`);
}

function expectContextLengthExceeded(e: InstanceType<typeof OpenAI.APIError>): void {
  expect({ status: e.status, type: e.type, param: e.param, code: e.code }).toEqual({
    status: 400,
    type: 'invalid_request_error',
    param: 'messages',
    code: 'context_length_exceeded',
  });
  expect(e).toBeInstanceOf(OpenAI.BadRequestError);
  expect(e.message).toMatch(/context|too long/i);
}

describe('a request over the context window on /v1 (issue #16)', () => {
  it('a chosen model whose window the request exceeds: 400 context_length_exceeded, nothing sent upstream', async () => {
    const client = await desktopClient();
    const before = ollama.requests.filter((r) => r.path === '/api/chat').length;
    expectContextLengthExceeded(await refusal(client, 'ollama/llama3.2:3b'));
    expectContextLengthExceeded(await refusal(client, 'ollama/llama3.2:3b', LONG, true));
    expect(ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(before);
  });

  it('switchboard/local and switchboard/auto when no eligible model has the window: the same 400', async () => {
    const client = await desktopClient();
    expectContextLengthExceeded(await refusal(client, 'switchboard/local'));
    // Auto: the request fits none of the models that could answer (the local model, DeepSeek's window).
    expectContextLengthExceeded(await refusal(client, 'switchboard/auto', LONG.repeat(4)));
  });

  it('an upstream context_length_exceeded passes through as the same 400 (headless mount)', async () => {
    const client = await headlessClient();
    deepseek.setBehavior('deepseek-chat', {
      errorStatus: 400,
      errorBody: { error: { message: "This model's maximum context length is 65536 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } },
    });
    try {
      expectContextLengthExceeded(await refusal(client, 'deepseek/deepseek-chat', 'short enough for the catalog, not for the server'));
    } finally {
      deepseek.setBehavior('deepseek-chat', {});
    }
  });

  it('a request that fits still answers', async () => {
    const client = await desktopClient();
    const reply = await client.chat.completions.create({ model: 'ollama/llama3.2:3b', messages: [{ role: 'user', content: 'hi' }] });
    expect(reply.choices[0]?.message.content).toBe('Hello.');
  });
});
