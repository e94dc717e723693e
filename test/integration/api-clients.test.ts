import Anthropic from '@anthropic-ai/sdk';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { embed, generateText, streamText } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { closedPort, createTestApp, type TestApp } from '../helpers/app-harness';

/**
 * Issue #15, items 5 and 6: `/v1/embeddings` and the Anthropic-compatible `/v1/messages`, driven by
 * the real client libraries (openai, @anthropic-ai/sdk, the Vercel AI SDK's OpenAI-compatible
 * provider) against the running endpoint, with the fake Ollama behind it.
 */
const TOKEN = 'sb-clients-token-0123456789abcdef';
const LLAMA = 'ollama/llama3.2:3b';
const EMBED = 'ollama/nomic-embed-text:latest';
const REPLY = 'Paris is the capital of France.';

let ollama: FakeOllama;
let h: TestApp;
let baseUrl: string;

beforeAll(async () => {
  ollama = await startFakeOllama({
    models: [
      { name: 'nomic-embed-text:latest', embedding: true, parameterSize: '137M', embeddingDim: 8 },
      { name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B' },
    ],
  });
  ollama.setBehavior('llama3.2:3b', { reply: REPLY, tokenDelayMs: 1 });
  h = createTestApp({ ollamaUrl: ollama.url, apiServer: true, env: { SWITCHBOARD_API_TOKEN: TOKEN } });
  h.app.services.settings.update({ apiServer: { enabled: true, port: await closedPort() } });
  baseUrl = (await h.app.call('api.status', {})).baseUrl!;
});
afterAll(async () => {
  await h?.close();
  await ollama?.close();
});

const embedRequests = () => ollama.requests.filter((r) => r.path === '/api/embed');
const chatRequests = () => ollama.requests.filter((r) => r.path === '/api/chat');

describe('/v1/embeddings', () => {
  it('embeds with an installed embedding model through Ollama /api/embed, in float and in the SDK default base64', async () => {
    const client = new OpenAI({ baseURL: baseUrl, apiKey: TOKEN, maxRetries: 0 });
    const floats = await client.embeddings.create({ model: EMBED, input: ['first text', 'second text'], encoding_format: 'float' });
    expect(floats).toMatchObject({ object: 'list', model: EMBED, data: [{ object: 'embedding', index: 0 }, { object: 'embedding', index: 1 }] });
    expect(floats.data[0]?.embedding).toHaveLength(8);
    expect(floats.usage.prompt_tokens).toBeGreaterThan(0);
    expect(embedRequests().at(-1)?.body).toMatchObject({ model: 'nomic-embed-text:latest', input: ['first text', 'second text'] });

    // No encoding_format: the SDK asks for base64 and decodes it; the numbers are the same (as float32).
    const decoded = await client.embeddings.create({ model: EMBED, input: 'first text' });
    expect(decoded.data[0]?.embedding).toHaveLength(8);
    decoded.data[0]!.embedding.forEach((x, i) => expect(x).toBeCloseTo(floats.data[0]!.embedding[i]!, 6));
  });

  it('refuses a chat model or a model that is not installed with the 404 and the words that fix it', async () => {
    const client = new OpenAI({ baseURL: baseUrl, apiKey: TOKEN, maxRetries: 0 });
    const before = embedRequests().length;
    const missing = await client.embeddings.create({ model: 'ollama/bge-m3', input: 'x' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).message).toMatch(/ollama pull bge-m3.*Installed embedding models: ollama\/nomic-embed-text:latest/);
    const bad = await client.embeddings.create({ model: EMBED, input: 'x', dimensions: 4 }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, param: 'dimensions' });
    expect(embedRequests().length).toBe(before);
  });

  it('works from the Vercel AI SDK (embed)', async () => {
    const provider = createOpenAICompatible({ name: 'switchboard', baseURL: baseUrl, apiKey: TOKEN });
    const { embedding } = await embed({ model: provider.embeddingModel(EMBED), value: 'hello', maxRetries: 0 });
    expect(embedding).toHaveLength(8);
  });
});

describe('/v1/messages (Anthropic Messages API)', () => {
  const anthropic = () => new Anthropic({ baseURL: baseUrl.replace(/\/v1$/, ''), apiKey: TOKEN, maxRetries: 0 });

  it('answers non-streamed with the system prompt, through the router (switchboard/auto)', async () => {
    const { data, response } = await anthropic()
      .messages.create({ model: 'switchboard/auto', max_tokens: 256, system: 'Be brief.', messages: [{ role: 'user', content: 'What is the capital of France?' }] })
      .withResponse();
    expect(data).toMatchObject({ type: 'message', role: 'assistant', model: LLAMA, content: [{ type: 'text', text: REPLY }], stop_reason: 'end_turn' });
    expect(data.id).toMatch(/^msg_/);
    expect(data.usage.output_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchboard-route')).toMatch(/model=ollama\/llama3\.2:3b/);
    const sent = chatRequests().at(-1)!.body as { messages: Array<{ role: string; content: string }>; options: { num_predict?: number } };
    expect(sent.messages).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is the capital of France?' }]);
  });

  it('streams Anthropic events that the SDK assembles (text deltas, final message), on a chosen model', async () => {
    const stream = anthropic().messages.stream({ model: LLAMA, max_tokens: 256, messages: [{ role: 'user', content: [{ type: 'text', text: 'Capital of France?' }] }] });
    const events: string[] = [];
    let text = '';
    stream.on('streamEvent', (e) => events.push(e.type));
    stream.on('text', (t) => (text += t));
    const final = await stream.finalMessage();
    expect(text).toBe(REPLY);
    expect(final).toMatchObject({ role: 'assistant', model: LLAMA, content: [{ type: 'text', text: REPLY }], stop_reason: 'end_turn' });
    expect(events[0]).toBe('message_start');
    expect(events.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(events.filter((e) => e === 'content_block_delta').length).toBeGreaterThan(1);
  });

  it('takes the token as x-api-key or Authorization: Bearer; a wrong one is Anthropic\'s 401 authentication_error', async () => {
    const bearer = new Anthropic({ baseURL: baseUrl.replace(/\/v1$/, ''), authToken: TOKEN, apiKey: null, maxRetries: 0 });
    const ok = await bearer.messages.create({ model: LLAMA, max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    expect(ok.content[0]).toMatchObject({ type: 'text', text: REPLY });
    const wrong = new Anthropic({ baseURL: baseUrl.replace(/\/v1$/, ''), apiKey: 'not-the-token', maxRetries: 0 });
    const e = await wrong.messages.create({ model: LLAMA, max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((e as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('refuses bad requests in Anthropic\'s error shape: no max_tokens, an unknown model, blocks it cannot take', async () => {
    const res = await fetch(`${baseUrl}/messages`, {
      method: 'POST',
      headers: { 'x-api-key': TOKEN, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: LLAMA, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringMatching(/^max_tokens: /) } });
    const unknown = await anthropic().messages.create({ model: 'nobody/nothing', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }).catch((x: unknown) => x);
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
    const image = await anthropic()
      .messages.create({ model: LLAMA, max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }] }] })
      .catch((x: unknown) => x);
    expect(image).toBeInstanceOf(Anthropic.BadRequestError);
    expect((image as Error).message).toMatch(/image blocks are not supported on \/v1\/messages/);
  });
});

describe('/v1/chat/completions from the Vercel AI SDK', () => {
  it('generates and streams text through switchboard/auto', async () => {
    const provider = createOpenAICompatible({ name: 'switchboard', baseURL: baseUrl, apiKey: TOKEN, includeUsage: true });
    const generated = await generateText({ model: provider.chatModel('switchboard/auto'), prompt: 'What is the capital of France?', maxRetries: 0 });
    expect(generated.text).toBe(REPLY);
    const streamed = streamText({ model: provider.chatModel(LLAMA), prompt: 'Capital of France?', maxRetries: 0 });
    let text = '';
    for await (const delta of streamed.textStream) text += delta;
    expect(text).toBe(REPLY);
    expect((await streamed.usage).outputTokens).toBeGreaterThan(0);
  });
});
