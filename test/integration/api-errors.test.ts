import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryKeychain } from '../../src/main/secrets/keychain';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { NOTHING_LISTENING_URL, closedPort, createTestApp, type TestApp } from '../helpers/app-harness';
import { startHeadless } from '../helpers/headless-harness';

const TOKEN = 'sb-test-token-errors-0123456789';
let ollama: FakeOllama;
let deepseek: FakeOpenAI;
let h: TestApp | undefined;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama' }], defaultBehavior: { reply: 'Hello.' } });
  deepseek = await startFakeOpenAI({ models: ['deepseek-chat'], apiKey: 'sk-deepseek-api-test-1234' });
});
afterAll(async () => {
  await Promise.all([ollama.close(), deepseek.close()]);
});
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function desktop(env: NodeJS.ProcessEnv = {}, options: Parameters<typeof createTestApp>[0] = {}): Promise<string> {
  h = createTestApp({ ollamaUrl: ollama.url, apiServer: true, ...options, env: { SWITCHBOARD_API_TOKEN: TOKEN, ...env } });
  h.app.services.settings.update({ apiServer: { enabled: true, port: await closedPort() } });
  return (await h.app.call('api.status', {})).baseUrl!;
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: { error: { message: string; type: string; param: string | null; code: string | null } } }> {
  const res = await fetch(`${url}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: (await res.json()) as never };
}

const ok = { model: 'switchboard/auto', messages: [{ role: 'user', content: 'hi' }] };

describe('malformed requests get OpenAI’s error shape', () => {
  it('400 names the invalid field', async () => {
    const url = await desktop();
    const bad = await post(url, '{"model": "switchboard/auto", "messages": [');
    expect(bad).toMatchObject({ status: 400, body: { error: { type: 'invalid_request_error', param: null, message: expect.stringMatching(/could not parse the JSON body/) } } });
    expect(await post(url, '[1, 2]')).toMatchObject({ status: 400, body: { error: { param: null } } });
    const cases: Array<[unknown, string]> = [
      [{ model: 'switchboard/auto' }, 'messages'],
      [{ messages: ok.messages }, 'model'],
      [{ ...ok, messages: [] }, 'messages'],
      [{ ...ok, messages: 'hi' }, 'messages'],
      [{ ...ok, messages: [{ role: 'user', content: 42 }] }, 'messages[0].content'],
      [{ ...ok, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] }, 'messages[0].content'],
      // Issue #15: tool messages and tools are valid now; one without its call id, or a tool without a valid name, is not.
      [{ ...ok, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id'],
      [{ ...ok, messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
      [{ ...ok, messages: [ok.messages[0], { role: 'user' }] }, 'messages[1].content'],
      [{ ...ok, temperature: 'hot' }, 'temperature'],
      [{ ...ok, temperature: 3 }, 'temperature'],
      [{ ...ok, max_tokens: 0 }, 'max_tokens'],
      [{ ...ok, stream: 'yes' }, 'stream'],
      [{ ...ok, stop: [1] }, 'stop'],
      [{ ...ok, n: 2 }, 'n'],
      [{ ...ok, response_format: { type: 'xml' } }, 'response_format.type'],
      [{ ...ok, tools: [{ type: 'function', function: { name: 'not a name!' } }] }, 'tools[0].function.name'],
      [{ ...ok, tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: { type: 'function', function: { name: 'g' } } }, 'tool_choice'],
    ];
    for (const [body, param] of cases) {
      const res = await post(url, JSON.stringify(body));
      expect({ body, status: res.status, param: res.body.error.param }).toEqual({ body, status: 400, param });
      expect(res.body.error.message).toContain(param);
    }
    // curl -d without -H 'Content-Type: application/json' sends a form.
    const form = await fetch(`${url}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringMatching(/Content-Type: application\/json/) } });
  });

  it('401 without the bearer token or with a wrong one, on every route', async () => {
    const url = await desktop();
    const none = await fetch(`${url}/models`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key', message: expect.stringMatching(/Authorization: Bearer/) } });
    expect((await post(url, JSON.stringify(ok), { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await fetch(`${url}/nothing-here`)).status).toBe(401);
    const unknown = await fetch(`${url}/nothing-here`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(unknown.status).toBe(404);
  });

  it('404 model_not_found for an unknown model, with the pull command for a local one', async () => {
    const url = await desktop();
    for (const model of ['nobody/model', 'openai/gpt-9-ultra', 'switchboard/turbo', 'ollama/mistral:7b']) {
      const res = await post(url, JSON.stringify({ ...ok, model }));
      expect({ model, status: res.status, code: res.body.error.code, param: res.body.error.param }).toEqual({ model, status: 404, code: 'model_not_found', param: 'model' });
    }
    expect((await post(url, JSON.stringify({ ...ok, model: 'ollama/mistral:7b' }))).body.error.message).toMatch(/ollama pull mistral:7b/);
  });

  it('429 budget_exceeded once the stop threshold is reached, 503 when no model can serve', async () => {
    const url = await desktop({ DEEPSEEK_API_KEY: 'sk-deepseek-api-test-1234', DEEPSEEK_BASE_URL: `${deepseek.url}/v1` });
    const app = h!.app;
    const now = Date.now();
    // $10 spent today: past the default $6 stop threshold.
    app.services.calls.record({
      messageId: null, modelId: 'deepseek/deepseek-chat', provider: 'deepseek', tier: 'paid', startedAt: now, firstTokenAt: now, endedAt: now, status: 'ok',
      errorCode: null, inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, costUsd: 10, estimated: false, attempt: 1, fallbackFrom: null, purpose: 'api',
    });
    const res = await post(url, JSON.stringify({ ...ok, model: 'deepseek/deepseek-chat' }));
    expect(res).toMatchObject({ status: 429, body: { error: { type: 'insufficient_quota', code: 'budget_exceeded', message: expect.stringMatching(/stop threshold/) } } });
    expect(deepseek.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);

    app.services.settings.update({ ollamaHost: NOTHING_LISTENING_URL });
    await app.services.routing.inputs.refresh(true);
    const none = await post(url, JSON.stringify({ ...ok, model: 'switchboard/local' }));
    expect(none).toMatchObject({ status: 503, body: { error: { type: 'server_error' } } });
  });

  it('refuses a foreign Host header with 403 even with the token', async () => {
    const url = await desktop();
    const { port } = new URL(url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/v1/models', headers: { host: `evil.example:${port}`, authorization: `Bearer ${TOKEN}` } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('the token and the headless mount', () => {
  it('makes a random token once, keeps it in the keychain across restarts, and rotates it', async () => {
    const keychain = new MemoryKeychain();
    h = createTestApp({ ollamaUrl: ollama.url, keychain });
    const first = await h.app.call('api.status', {});
    expect(first).toMatchObject({ tokenSource: 'keychain', running: false, mount: null, settings: { enabled: false, port: 8788 } });
    expect(first.token).toMatch(/^sb-[\w-]{40,}$/);
    await h.restart();
    expect((await h.app.call('api.status', {})).token).toBe(first.token);
    const rotated = await h.app.call('api.rotateToken', {});
    expect(rotated.token).not.toBe(first.token);
  });

  it('is mounted on the headless server with its own bearer token, apart from the page token', async () => {
    const hh = await startHeadless({ ollamaUrl: ollama.url, env: { SWITCHBOARD_API_TOKEN: TOKEN } });
    try {
      const base = `${hh.server.url}/v1`;
      expect(await hh.harness.app.call('api.status', {})).toMatchObject({ baseUrl: base, mount: 'headless', running: true });
      const models = await fetch(`${base}/models`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(models.status).toBe(200);
      expect(((await models.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id)).toContain('ollama/llama3.2:3b');
      // The page's token is not the API's, and the API's does not open the page's RPC.
      expect((await fetch(`${base}/models`, { headers: { authorization: `Bearer ${hh.server.token}` } })).status).toBe(401);
      expect((await fetch(`${hh.server.url}/rpc/conversations.list`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
      const reply = await post(base, JSON.stringify({ model: 'ollama/llama3.2:3b', messages: [{ role: 'user', content: 'hi' }] }));
      expect(reply.status).toBe(200);
    } finally {
      await hh.close();
    }
  });
});
