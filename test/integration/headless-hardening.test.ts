import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BODY_LIMIT } from '../../src/main/api';
import { createLogger } from '../../src/main/logger';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { closedPort, createTestApp, type TestApp } from '../helpers/app-harness';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

/** Issue #16 item 7: tokens never in the log, /rpc body errors in our envelope, one /v1 body limit. */
const API_TOKEN = 'sb-test-token-hardening-0123456789';
let ollama: FakeOllama;
let h: HeadlessHarness;
let desktop: TestApp;
let desktopUrl: string;
const lines: string[] = [];

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama', contextLength: 2048 }], defaultBehavior: { reply: 'Hello.' } });
  const logger = createLogger({ level: 'debug', sink: { write: (line) => lines.push(line) } });
  h = await startHeadless({ ollamaUrl: ollama.url, env: { SWITCHBOARD_API_TOKEN: API_TOKEN }, logger });
  desktop = createTestApp({ ollamaUrl: ollama.url, apiServer: true, env: { SWITCHBOARD_API_TOKEN: API_TOKEN } });
  desktop.app.services.settings.update({ apiServer: { enabled: true, port: await closedPort() } });
  desktopUrl = (await desktop.app.call('api.status', {})).baseUrl!;
});
afterAll(async () => {
  await h?.close();
  await desktop?.close();
  await ollama?.close();
});

function raw(options: { port?: number; path: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: options.port ?? h.server.port, path: options.path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('a refused request never writes the token to the log', () => {
  it('whatever shape the token has in the URL', async () => {
    const token = h.server.token;
    const foreignHost = { host: `evil.example:${h.server.port}` };
    const attempts: Array<{ path: string; method?: string; headers?: Record<string, string>; status: number }> = [
      { path: `/?token[]=${token}`, status: 401 },
      { path: `/rpc/conversations.list?token[]=${token}`, method: 'POST', status: 401 },
      { path: `/?token[0]=${token}&x=1`, status: 401 },
      { path: `/?token=${token}&token=${token}`, status: 401 },
      { path: `/?TOKEN=${token}`, status: 401 },
      { path: `/?token%5B%5D=${token}`, status: 401 },
      { path: `/?t=${token}`, status: 401 },
      { path: `/${token}`, status: 401 },
      { path: `/?token=${token}`, headers: foreignHost, status: 403 },
    ];
    const before = lines.length;
    for (const a of attempts) {
      expect({ path: a.path, status: (await raw(a)).status }).toEqual({ path: a.path, status: a.status });
    }
    const logged = lines.slice(before);
    expect(logged.filter((l) => l.includes('headless request refused'))).toHaveLength(attempts.length);
    expect(logged.join('\n')).not.toContain(token);
    // What is logged still says what was refused: the path and the parameter names.
    expect(logged.some((l) => l.includes('"path":"/rpc/conversations.list"') && l.includes('token[]'))).toBe(true);
  });
});

describe('/rpc body errors use the { ok: false, error } envelope', () => {
  const auth = () => ({ authorization: `Bearer ${h.server.token}` });
  const envelope = (code: string) => ({ ok: false, error: { code, message: expect.any(String), retryable: false } });

  it('malformed JSON, a body too large, another content type', async () => {
    const bad = await raw({ path: '/rpc/conversations.list', method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{"oops":' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual(envelope('invalid_input'));
    expect(JSON.parse(bad.body).error.message).toMatch(/not valid JSON/);

    const big = await raw({ path: '/rpc/conversations.list', method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(5 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toEqual(envelope('invalid_input'));

    const form = await raw({ path: '/rpc/conversations.list', method: 'POST', headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
    expect(form.status).toBe(415);
    expect(JSON.parse(form.body)).toEqual(envelope('invalid_input'));
    expect(JSON.parse(form.body).error.message).toMatch(/application\/json/);

    // A good call still works.
    const ok = await raw({ path: '/rpc/conversations.list', method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{}' });
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true });
  });
});

describe('the /v1 body limit', () => {
  const body = (bytes: number) => JSON.stringify({ model: 'ollama/llama3.2:3b', messages: [{ role: 'user', content: 'word '.repeat(Math.ceil(bytes / 5)) }] });
  const post = (port: number, payload: string) =>
    raw({ port, path: '/v1/chat/completions', method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: payload });

  it('is the same on the headless mount and the desktop server', async () => {
    const desktopPort = Number(new URL(desktopUrl).port);
    for (const port of [h.server.port, desktopPort]) {
      // Over the headless /rpc limit (4 MB) but under /v1's: read, then refused for the model's window.
      const under = await post(port, body(API_BODY_LIMIT - 1024 * 1024));
      expect({ port, status: under.status, code: JSON.parse(under.body).error.code }).toEqual({ port, status: 400, code: 'context_length_exceeded' });
      const over = await post(port, body(API_BODY_LIMIT + 1024));
      expect({ port, status: over.status }).toEqual({ port, status: 413 });
      expect(JSON.parse(over.body)).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringMatching(/larger than 8 MB/) } });
    }
  });
});
