// Issue #17: a streamed `switchboard/auto` answer starts at once. The first attempt goes out as it is
// written once its opening passed the gates that can judge an opening (not empty, not a refusal);
// a failure before the first byte escalates unseen; an end-of-stream gate failure is reported in
// the finish chunk's `x_switchboard` and an `: x-switchboard` SSE comment, and the answer stands.
// `switchboard/auto-safe` keeps the old behaviour: only an answer that passed every gate is sent.
// Driven by the real `openai` client.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { closedPort, createTestApp, waitFor, type TestApp } from '../helpers/app-harness';

const TOKEN = 'sb-auto-stream-token-0123456789';
const LOCAL = 'ollama/qwen2.5-coder:7b';
const GROQ = 'groq/llama-3.3-70b-versatile';
const SIMPLE = 'What is the capital of France?';
const ANSWER = 'Paris is the capital of France, on the Seine.';
const GROQ_ANSWER = 'Groq says: Paris is the capital of France.';

let ollama: FakeOllama;
let groq: FakeOpenAI;
let h: TestApp;
let client: OpenAI;
let baseUrl: string;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'qwen2.5-coder:7b', family: 'qwen2', parameterSize: '7.6B' }] });
  groq = await startFakeOpenAI({ models: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'], apiKey: 'gsk_auto_stream_1234' });
});
afterAll(async () => {
  await Promise.all([ollama.close(), groq.close()]);
});
beforeEach(async () => {
  ollama.setBehavior('qwen2.5-coder:7b', { reply: ANSWER });
  groq.clearBehavior();
  groq.setBehavior('*', { reply: GROQ_ANSWER, usage: { promptTokens: 40, completionTokens: 9 } });
  h = createTestApp({ ollamaUrl: ollama.url, apiServer: true, env: { SWITCHBOARD_API_TOKEN: TOKEN, GROQ_API_KEY: 'gsk_auto_stream_1234', GROQ_BASE_URL: `${groq.url}/v1` } });
  h.app.services.settings.update({ apiServer: { enabled: true, port: await closedPort() } });
  baseUrl = (await h.app.call('api.status', {})).baseUrl!;
  client = new OpenAI({ baseURL: baseUrl, apiKey: TOKEN, maxRetries: 0 });
});
afterEach(async () => {
  await h.close();
  ollama.setBehavior('*', {});
});

const localChats = () => ollama.requests.filter((r) => r.path === '/api/chat');
const groqChats = () => groq.requests.filter((r) => r.path === '/v1/chat/completions');

/** The raw SSE text of a streamed request, for what the SDK does not surface (comments). */
async function rawStream(model: string): Promise<string> {
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: SIMPLE }], stream: true }),
  });
  expect(response.status).toBe(200);
  return response.text();
}

describe('/v1 streaming on switchboard/auto', () => {
  it('sends the first tokens while the model is still writing', async () => {
    // Three tokens, then the model stalls with the connection open: the answer has no end yet.
    ollama.setBehavior('qwen2.5-coder:7b', { reply: ANSWER, stallAfterTokens: 3 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: 'switchboard/auto', messages: [{ role: 'user', content: SIMPLE }], stream: true }, { signal: controller.signal });
    let text = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (text.length > 0) break;
    }
    expect(ANSWER.startsWith(text)).toBe(true);
    expect(text.length).toBeLessThan(ANSWER.length);
    // The model's request is still open: what the client has came before the end of the answer.
    expect(localChats().at(-1)).toMatchObject({ completed: false });
    controller.abort();
    await waitFor(() => localChats().at(-1)?.aborted, 'the upstream request to be aborted with the client');
  });

  it('a refusal in the opening is never sent: it escalates before the first byte', async () => {
    ollama.setBehavior('qwen2.5-coder:7b', { reply: "I'm sorry, but I can't help with that." });
    const { data: stream, response } = await client.chat.completions.create({ model: 'switchboard/auto', messages: [{ role: 'user', content: SIMPLE }], stream: true }).withResponse();
    expect(response.headers.get('x-switchboard-route')).toBe(`tier=free; model=${GROQ}; escalations=1; cached=false`);
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(GROQ_ANSWER);
    expect(chunks.every((c) => c.model === GROQ)).toBe(true);
    expect((chunks.at(-1) as unknown as { x_switchboard: unknown }).x_switchboard).toMatchObject({ model: GROQ, escalations: 1, gates: 'passed', failed_gate: null });
  });

  it('an end-of-stream gate failure is reported in the finish chunk and an SSE comment, and the answer stands', async () => {
    // Opens fine, so it is sent as it comes; the code block never closes (the code-fence gate, at the end).
    const broken = 'Here is the loop:\n```js\nfor (let i = 0; i < 3; i++) {\n  console.log(i);\n';
    ollama.setBehavior('qwen2.5-coder:7b', { reply: broken });
    const groqBefore = groqChats().length;
    const stream = await client.chat.completions.create({ model: 'switchboard/auto', messages: [{ role: 'user', content: SIMPLE }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(broken);
    const verdict = (chunks.at(-1) as unknown as { x_switchboard: { decision: string } }).x_switchboard;
    expect(verdict).toMatchObject({ model: LOCAL, tier: 'local', escalations: 0, gates: 'failed', failed_gate: 'code-fence', reason: 'a code block was opened and never closed' });
    expect(groqChats().length).toBe(groqBefore);
    // The decision record keeps the gate results.
    const record = h.app.services.routing.decisions.get(verdict.decision);
    expect(record).toMatchObject({ chosenModel: LOCAL, outcome: 'failed', escalations: 0 });
    expect(record!.attempts[0]!.gates.find((g) => !g.passed)).toMatchObject({ gate: 'code-fence' });

    const raw = await rawStream('switchboard/auto');
    expect(raw).toMatch(/\n: x-switchboard \{"model":"ollama\/qwen2\.5-coder:7b","tier":"local","escalations":0,"cached":null,"gates":"failed","failed_gate":"code-fence",[^\n]*\}\n\ndata: \[DONE\]\n\n$/);
  });

  it('switchboard/auto-safe sends only an answer that passed every gate', async () => {
    ollama.setBehavior('qwen2.5-coder:7b', { reply: 'Here is the loop:\n```js\nfor (;;) {\n' });
    const groqBefore = groqChats().length;
    const { data: stream, response } = await client.chat.completions.create({ model: 'switchboard/auto-safe', messages: [{ role: 'user', content: SIMPLE }], stream: true }).withResponse();
    expect(response.headers.get('x-switchboard-route')).toBe(`tier=free; model=${GROQ}; escalations=1; cached=false`);
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(GROQ_ANSWER);
    expect(groqChats().length).toBe(groqBefore + 1);
  });

  it('lists switchboard/auto-safe among the models', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.slice(0, 3)).toEqual(['switchboard/auto', 'switchboard/local', 'switchboard/auto-safe']);
  });
});
