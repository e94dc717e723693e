import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EventEnvelope } from '../../src/shared/contract';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { tempDir, waitFor } from '../helpers/app-harness';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

let ollama: FakeOllama;
let h: HeadlessHarness;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b' }] });
  h = await startHeadless({ ollamaUrl: ollama.url });
});
afterAll(async () => {
  await h?.close();
  await ollama?.close();
});

function raw(options: { path: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: h.server.port, path: options.path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const auth = () => ({ authorization: `Bearer ${h.server.token}`, 'content-type': 'application/json' });

describe('headless server access', () => {
  it('listens on 127.0.0.1 only', () => {
    const address = h.server.fastify.server.address();
    expect(address).toMatchObject({ address: '127.0.0.1' });
  });

  it('refuses requests without the token with 401, for the API and the page', async () => {
    const rpc = await raw({ path: '/rpc/conversations.list', method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(rpc.status).toBe(401);
    expect(JSON.parse(rpc.body)).toMatchObject({ ok: false, error: { code: 'auth' } });
    expect((await raw({ path: '/' })).status).toBe(401);
    expect((await raw({ path: '/?token=wrong' })).status).toBe(401);
    expect((await raw({ path: '/rpc/conversations.list', method: 'POST', body: '{}', headers: { authorization: 'Bearer nope' } })).status).toBe(401);
  });

  it('refuses a foreign Host (DNS rebinding) or Origin even with the token', async () => {
    const host = await raw({ path: '/rpc/conversations.list', method: 'POST', body: '{}', headers: { ...auth(), host: `evil.example:${h.server.port}` } });
    expect(host.status).toBe(403);
    const origin = await raw({ path: '/rpc/conversations.list', method: 'POST', body: '{}', headers: { ...auth(), origin: 'https://evil.example' } });
    expect(origin.status).toBe(403);
    const sameOrigin = await raw({ path: '/rpc/conversations.list', method: 'POST', body: '{}', headers: { ...auth(), origin: h.server.url } });
    expect(sameOrigin.status).toBe(200);
  });

  it('the printed URL sets an HttpOnly cookie that then authorises the page and API', async () => {
    const page = await raw({ path: `/?token=${h.server.token}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^sb_token_${h.server.port}=.+; HttpOnly; SameSite=Strict`));
    const api = await raw({ path: '/rpc/system.status', method: 'POST', body: '{}', headers: { cookie: cookie.split(';')[0]!, 'content-type': 'application/json' } });
    expect(api.status).toBe(200);
    expect(JSON.parse(api.body)).toMatchObject({ ok: true, data: { mode: 'headless', ollama: { reachable: true } } });
  });

  it('carries contract errors with their HTTP status and no stack', async () => {
    const bad = await raw({ path: '/rpc/conversations.rename', method: 'POST', body: JSON.stringify({ id: 'x', title: '' }), headers: auth() });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_input', retryable: false } });
    const missing = await raw({ path: '/rpc/conversations.rename', method: 'POST', body: JSON.stringify({ id: 'x', title: 'y' }), headers: auth() });
    expect(missing.status).toBe(404);
    expect(missing.body).not.toMatch(/\.ts:\d+/);
  });

  it('streams events over the WebSocket, which also needs the token', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${h.server.port}/events`);
    const refusal = await new Promise<number>((resolve) => refused.on('unexpected-response', (_req, res) => resolve(res.statusCode!)));
    expect(refusal).toBe(401);

    const ws = new WebSocket(`ws://127.0.0.1:${h.server.port}/events`, { headers: { authorization: `Bearer ${h.server.token}` } });
    const events: EventEnvelope[] = [];
    ws.on('message', (data) => events.push(JSON.parse(String(data)) as EventEnvelope));
    await new Promise((resolve) => ws.on('open', resolve));
    ollama.setBehavior('llama3.2:3b', { reply: 'streamed over the socket' });
    const created = JSON.parse((await raw({ path: '/rpc/conversations.create', method: 'POST', body: '{}', headers: auth() })).body);
    await raw({ path: '/rpc/chat.send', method: 'POST', body: JSON.stringify({ conversationId: created.data.id, content: 'hi', model: 'ollama/llama3.2:3b' }), headers: auth() });
    await waitFor(() => events.some((e) => e.event === 'chat.message' && e.payload.message.role === 'assistant' && e.payload.message.status === 'complete'), 'completion event');
    const text = events.filter((e) => e.event === 'chat.delta').map((e) => (e.payload as { text: string }).text).join('');
    expect(text).toBe('streamed over the socket');
    ws.close();
  });
});

describe('npm run headless', () => {
  it('prints a URL with a token and serves the app on it', async () => {
    const dataDir = tempDir();
    const root = path.resolve(import.meta.dirname, '../..');
    const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/main/headless/cli.ts', '--port', '0', '--data-dir', dataDir], {
      cwd: root,
      env: { ...process.env, OLLAMA_HOST: ollama.url },
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    try {
      const url = await waitFor(() => /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out)?.[1], 'the printed URL', 20_000);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      const noToken = await fetch(new URL('/', url));
      expect(noToken.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('exit', r));
    }
  });
});
