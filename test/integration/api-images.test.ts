import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { closedPort, createTestApp, type TestApp } from '../helpers/app-harness';

/** Issue #15, item 4: images through /v1 (data URLs, Anthropic base64 blocks) to vision models only. */
const TOKEN = 'sb-images-token-0123456789abcdef';
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const DATA_URL = `data:image/png;base64,${PNG}`;

let ollama: FakeOllama;
let openai: FakeOpenAI;
let anthropic: FakeAnthropic;
let h: TestApp;
let client: OpenAI;
let baseUrl: string;

beforeAll(async () => {
  ollama = await startFakeOllama({
    models: [
      { name: 'llava:7b', family: 'llama', parameterSize: '7B', capabilities: ['completion', 'vision'] },
      { name: 'qwen2.5-coder:7b', family: 'qwen2', parameterSize: '7.6B', capabilities: ['completion', 'tools'] },
    ],
  });
  ollama.setBehavior('llava:7b', { reply: 'A single pixel.' });
  ollama.setBehavior('qwen2.5-coder:7b', { reply: 'I see nothing.' });
  openai = await startFakeOpenAI({ models: ['gpt-4o-mini'] });
  openai.setBehavior('gpt-4o-mini', { reply: 'A tiny image.' });
  anthropic = await startFakeAnthropic({ models: ['claude-haiku-4-5'] });
  anthropic.setBehavior('claude-haiku-4-5', { reply: 'One pixel.' });
  h = createTestApp({
    ollamaUrl: ollama.url,
    apiServer: true,
    env: { SWITCHBOARD_API_TOKEN: TOKEN, OPENAI_API_KEY: 'sk-img-0000', OPENAI_BASE_URL: `${openai.url}/v1`, ANTHROPIC_API_KEY: 'sk-ant-img-0000', ANTHROPIC_BASE_URL: anthropic.url },
  });
  h.app.services.settings.update({ apiServer: { enabled: true, port: await closedPort() } });
  baseUrl = (await h.app.call('api.status', {})).baseUrl!;
  client = new OpenAI({ baseURL: baseUrl, apiKey: TOKEN, maxRetries: 0 });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([ollama?.close(), openai?.close(), anthropic?.close()]);
});

const withImage = (text: string) => [{ role: 'user' as const, content: [{ type: 'text' as const, text }, { type: 'image_url' as const, image_url: { url: DATA_URL } }] }];

describe('images through /v1', () => {
  it('routing (switchboard/local) sends an image only to a vision model, as Ollama `images`', async () => {
    const reply = await client.chat.completions.create({ model: 'switchboard/local', messages: withImage('What is this?') });
    expect(reply.model).toBe('ollama/llava:7b');
    expect(reply.choices[0]!.message.content).toBe('A single pixel.');
    const sent = ollama.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { model: string; messages: Array<Record<string, unknown>> };
    expect(sent.model).toBe('llava:7b');
    expect(sent.messages.at(-1)).toEqual({ role: 'user', content: 'What is this?', images: [PNG] });
  });

  it('an OpenAI vision model gets image_url parts; a model that cannot see images is a 400', async () => {
    const reply = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: withImage('Describe') });
    expect(reply.choices[0]!.message.content).toBe('A tiny image.');
    const sent = openai.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)!.body as { messages: Array<Record<string, unknown>> };
    expect(sent.messages.at(-1)).toEqual({ role: 'user', content: [{ type: 'text', text: 'Describe' }, { type: 'image_url', image_url: { url: DATA_URL } }] });

    const before = ollama.requests.filter((r) => r.path === '/api/chat').length;
    const e = await client.chat.completions.create({ model: 'ollama/qwen2.5-coder:7b', messages: withImage('Describe') }).catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 400, param: 'messages' });
    expect((e as Error).message).toMatch(/cannot see images/);
    const url = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] }).catch((x: unknown) => x);
    expect(url).toMatchObject({ status: 400, param: 'messages[0].content[0].image_url.url' });
    expect(ollama.requests.filter((r) => r.path === '/api/chat').length).toBe(before);
  });

  it('an Anthropic image block on /v1/messages reaches Anthropic as an image block', async () => {
    const sdk = new Anthropic({ baseURL: baseUrl.replace(/\/v1$/, ''), apiKey: TOKEN, maxRetries: 0 });
    const msg = await sdk.messages.create({
      model: 'anthropic/claude-haiku-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is it?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }] }],
    });
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'One pixel.' });
    const sent = anthropic.requests.filter((r) => r.path === '/v1/messages').at(-1)!.body as { messages: Array<{ content: unknown[] }> };
    expect(sent.messages.at(-1)!.content).toEqual([{ type: 'text', text: 'What is it?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }]);
  });
});
