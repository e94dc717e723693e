import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { closedPort, createTestApp, type TestApp } from '../helpers/app-harness';

const TOKEN = 'sb-test-token-0123456789abcdef';
const LLAMA = 'ollama/llama3.2:3b';
const REPLY = 'Paris is the capital of France.';
const QUESTION = 'What is the capital of France?';

let ollama: FakeOllama;
let h: TestApp;
let client: OpenAI;
let baseUrl: string;

beforeAll(async () => {
  // The embedding model first: the chat model is then the most recent, and the one Auto tries first.
  ollama = await startFakeOllama({
    models: [
      { name: 'nomic-embed-text:latest', embedding: true, parameterSize: '137M' },
      { name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B' },
    ],
  });
});
afterAll(() => ollama.close());
beforeEach(async () => {
  ollama.setBehavior('llama3.2:3b', { reply: REPLY, tokenDelayMs: 1 });
  h = createTestApp({ ollamaUrl: ollama.url, apiServer: true, env: { SWITCHBOARD_API_TOKEN: TOKEN } });
  h.app.services.settings.update({ apiServer: { enabled: true, port: await closedPort() } });
  const status = await h.app.call('api.status', {});
  expect(status).toMatchObject({ running: true, mount: 'desktop', token: TOKEN, tokenSource: 'env', error: null });
  baseUrl = status.baseUrl!;
  client = new OpenAI({ baseURL: baseUrl, apiKey: TOKEN, maxRetries: 0 });
});
afterEach(async () => {
  await h.close();
  ollama.setBehavior('*', {});
});

const chatRequests = () => ollama.requests.filter((r) => r.path === '/api/chat');

describe('the OpenAI-compatible endpoint, driven by the openai client', () => {
  it('lists the routing modes and the installed models', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.slice(0, 2)).toEqual(['switchboard/auto', 'switchboard/local']);
    expect(ids).toContain(LLAMA);
  });

  it('answers switchboard/auto through the router, names the model used, and records the call without a conversation', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'switchboard/auto', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: QUESTION }] })
      .withResponse();
    expect(data).toMatchObject({ object: 'chat.completion', model: LLAMA, choices: [{ index: 0, message: { role: 'assistant', content: REPLY }, finish_reason: 'stop' }] });
    expect(data.id).toMatch(/^chatcmpl-/);
    expect(data.usage!.total_tokens).toBe(data.usage!.prompt_tokens + data.usage!.completion_tokens);
    expect(data.usage!.completion_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchboard-route')).toMatch(/^tier=local; model=ollama\/llama3\.2:3b; escalations=0; cached=false; decision=/);
    const sent = chatRequests().at(-1)!.body as { messages: Array<{ role: string; content: string }>; options: { temperature: number } };
    expect(sent.messages).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: QUESTION }]);
    // No temperature given: Settings' chat temperature, so the answer can be cached.
    expect(sent.options.temperature).toBe(0.3);

    expect(await h.app.call('conversations.list', {})).toEqual([]);
    const calls = h.app.db.prepare(`SELECT message_id, model_id, status FROM calls`).all();
    expect(calls).toEqual([{ message_id: null, model_id: LLAMA, status: 'ok' }]);
    const decisions = h.app.services.routing.decisions.list();
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ messageId: null, chosenModel: LLAMA, outcome: 'ok' });
  });

  it('streams a direct ollama model in OpenAI chunks, with a usage chunk and [DONE]', async () => {
    ollama.setBehavior('llama3.2:3b', { reply: 'one two three four five', tokenDelayMs: 2 });
    const { data: stream, response } = await client.chat.completions
      .create({ model: LLAMA, messages: [{ role: 'user', content: [{ type: 'text', text: 'Count to five' }] }], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-switchboard-route')).toBe(`tier=local; model=${LLAMA}; escalations=0; cached=false`);
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]).toMatchObject({ object: 'chat.completion.chunk', model: LLAMA, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], usage: null });
    const ids = new Set(chunks.map((c) => c.id));
    expect(ids.size).toBe(1);
    const content = chunks.flatMap((c) => c.choices.map((ch) => ch.delta.content ?? '')).join('');
    expect(content).toBe('one two three four five');
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(2);
    const finish = chunks.at(-2)!;
    expect(finish.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
    const usage = chunks.at(-1)!;
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
  });

  it('streams switchboard/auto, and without include_usage sends no usage chunk', async () => {
    const { data: stream, response } = await client.chat.completions.create({ model: 'switchboard/auto', messages: [{ role: 'user', content: QUESTION }], stream: true }).withResponse();
    expect(response.headers.get('x-switchboard-route')).toBe(`tier=local; model=${LLAMA}; escalations=0; cached=false`);
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.model === LLAMA && !('usage' in c))).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(REPLY);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
  });

  it('serves a repeated request from the cache (stream and not), and says so in the header', async () => {
    const ask = () => client.chat.completions.create({ model: 'switchboard/auto', messages: [{ role: 'user', content: QUESTION }], temperature: 0.2 }).withResponse();
    await ask();
    const before = chatRequests().length;
    const again = await ask();
    expect(again.data.choices[0]!.message.content).toBe(REPLY);
    expect(again.data.model).toBe(LLAMA);
    expect(again.response.headers.get('x-switchboard-route')).toBe(`tier=local; model=${LLAMA}; escalations=0; cached=exact`);
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'switchboard/auto', messages: [{ role: 'user', content: QUESTION }], temperature: 0.2, stream: true })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(REPLY);
    expect(response.headers.get('x-switchboard-route')).toMatch(/cached=exact$/);
    expect(chatRequests().length).toBe(before);
    expect(await h.app.call('cache.stats', {})).toMatchObject({ entries: 1, hits: 2, byKind: { exact: { hits: 2 } } });

    // A sampling temperature is one draw among many: neither served nor stored.
    const hot = await client.chat.completions.create({ model: 'switchboard/auto', messages: [{ role: 'user', content: QUESTION }], temperature: 1 }).withResponse();
    expect(hot.response.headers.get('x-switchboard-route')).toMatch(/cached=false/);
    expect(chatRequests().length).toBe(before + 1);
  });

  it('passes temperature, max_tokens, stop and response_format on to the model', async () => {
    ollama.setBehavior('llama3.2:3b', { reply: '{"capital":"Paris"}' });
    const data = await client.chat.completions.create({
      model: LLAMA,
      messages: [{ role: 'user', content: 'The capital of France as JSON' }],
      temperature: 0.1,
      max_completion_tokens: 50,
      stop: ['\n\n'],
      response_format: { type: 'json_schema', json_schema: { name: 'capital', schema: { type: 'object', properties: { capital: { type: 'string' } } } } },
    });
    expect(data.choices[0]!.message.content).toBe('{"capital":"Paris"}');
    const sent = chatRequests().at(-1)!.body as { options: Record<string, unknown>; format: unknown };
    expect(sent.options).toMatchObject({ temperature: 0.1, num_predict: 50, stop: ['\n\n'] });
    expect(sent.format).toEqual({ type: 'object', properties: { capital: { type: 'string' } } });
  });

  it('a reply cut at the client’s max_tokens comes back with finish_reason "length", not as a failure', async () => {
    ollama.setBehavior('llama3.2:3b', { reply: 'a b c d e f g h i j k l' });
    const data = await client.chat.completions.create({ model: 'switchboard/auto', messages: [{ role: 'user', content: 'Say the alphabet' }], max_tokens: 3 });
    expect(data.choices[0]!.finish_reason).toBe('length');
    expect(data.choices[0]!.message.content!.length).toBeGreaterThan(0);
  });

  it('stops and starts with Settings → API, and a client that goes away aborts the model call', async () => {
    ollama.setBehavior('llama3.2:3b', { reply: 'slow '.repeat(50), tokenDelayMs: 30 });
    // Only the reply's own request: the analyser may also ask a local model (and give up on it).
    const ownRequest = (body: unknown) => JSON.stringify((body as { messages?: unknown[] }).messages) === '[{"role":"user","content":"Talk slowly"}]';
    const aborted = () => ollama.abortedRequests().filter((r) => ownRequest(r.body)).length;
    const before = aborted();
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: LLAMA, messages: [{ role: 'user', content: 'Talk slowly' }], stream: true }, { signal: controller.signal });
    let n = 0;
    try {
      for await (const _chunk of stream) if (++n === 3) controller.abort();
    } catch {
      // the SDK may end the iteration or throw an abort error: either way the connection is closed
    }
    expect(n).toBeGreaterThanOrEqual(3);
    await ollama.waitForIdle();
    expect(aborted()).toBe(before + 1);

    h.app.services.settings.update({ apiServer: { enabled: false, port: 8788 } });
    expect(await h.app.call('api.status', {})).toMatchObject({ running: false, baseUrl: null });
    await expect(fetch(`${baseUrl}/models`, { headers: { authorization: `Bearer ${TOKEN}` } })).rejects.toThrow();
  });
});
