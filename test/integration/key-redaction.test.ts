// Issue #16, item 1: a provider that repeats the key it was sent in its error body. The key must
// reach nothing the app keeps or shows: the data folder (SQLite and its WAL), the log, the RPC
// answers, the events, the /v1 answers and the CLI's output. Provider text is masked where it
// enters the app (src/main/secrets/redactor.ts).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/shared/contract';
import { createLogger } from '../../src/main/logger';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { closedPort, createTestApp, tempDir } from '../helpers/app-harness';
import { cli } from '../helpers/cli-harness';

// Shaped like no known key and shorter than the "opaque run after a key word" pattern: only the
// SecretStore's report of the configured keys can mask them.
const KEYCHAIN_KEY = 'Kc-deep-7731';
const ENV_KEY = 'Ev-groq-5519';
const CLI_KEY = 'Cl-groq-8844';
const API_TOKEN = 'sb-test-token-redaction-0123456789';
const LOCAL = 'ollama/llama3.2:3b';
const DEEPSEEK = 'deepseek/deepseek-chat';
const GROQ = 'groq/llama-3.3-70b-versatile';

let ollama: FakeOllama;
/** Accepts another key only, and repeats the rejected one in full in its 401. */
let deepseek: FakeOpenAI;
/** Accepts any key, and repeats it in a 400 to every request (a gateway that echoes what it was sent). */
let groq: FakeOpenAI;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama' }], defaultBehavior: { reply: 'A local answer.' } });
  deepseek = await startFakeOpenAI({ models: ['deepseek-chat'], apiKey: 'sk-only-this-key-is-accepted-0000', defaultBehavior: { echoKey: true } });
  groq = await startFakeOpenAI({
    models: ['llama-3.3-70b-versatile'],
    defaultBehavior: {
      errorStatus: 400,
      errorBody: ({ key }: { key: string }) => ({ error: { message: `No upstream accepts the key ${key} for this model.`, type: 'invalid_request_error', param: null, code: null } }),
    },
  });
});
afterAll(async () => {
  await Promise.all([ollama.close(), deepseek.close(), groq.close()]);
});

/** Every file of the data folder, as bytes (the database, its -wal and -shm, router.json …). */
function filesWith(dir: string, secret: string): string[] {
  const needle = Buffer.from(secret);
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => fs.readFileSync(file).includes(needle));
}

describe('a provider that echoes the key', () => {
  it('never gets the key into the data folder, the log, an RPC answer, an event, /v1 or the CLI', async () => {
    const logLines: string[] = [];
    const logger = createLogger({ level: 'debug', sink: { write: (line) => logLines.push(line) } });
    const h = createTestApp({
      ollamaUrl: ollama.url,
      logger,
      apiServer: true,
      env: { DEEPSEEK_BASE_URL: `${deepseek.url}/v1`, GROQ_BASE_URL: `${groq.url}/v1`, GROQ_API_KEY: ENV_KEY, SWITCHBOARD_API_TOKEN: API_TOKEN },
    });
    const seen: string[] = [];
    const events: string[] = [];
    const unsubscribe = h.app.events.subscribe((e) => events.push(JSON.stringify(e)));
    async function rpc<C extends Channel>(channel: C, input: unknown): Promise<unknown> {
      const result = await h.app.dispatch(channel, input, { transport: 'test' });
      seen.push(`${channel} ${JSON.stringify(result)}`);
      return result;
    }
    try {
      // The DeepSeek key goes into the keychain the way the Settings screen puts it there.
      await rpc('secrets.set', { provider: 'deepseek', value: KEYCHAIN_KEY });

      // Settings → Providers → Test: the provider's 401 names the key.
      const tested = (await rpc('providers.test', { id: 'deepseek' })) as { data: { error: { details: { providerMessage: string } } } };
      expect(tested.data.error.details.providerMessage).toMatch(/^Incorrect API key provided: \[REDACTED\]\./);
      await rpc('providers.test', { id: 'groq' });

      // Chat, on each provider and on Auto: the errors go to messages, route_decisions and the events.
      const { data: conversation } = (await rpc('conversations.create', {})) as { data: { id: string } };
      const replies: string[] = [];
      for (const model of [DEEPSEEK, GROQ, 'switchboard/auto']) {
        const sent = (await rpc('chat.send', { conversationId: conversation.id, content: 'Explain the CAP theorem briefly.', model })) as { data: { assistantMessage: { id: string } } };
        replies.push(sent.data.assistantMessage.id);
        await h.app.services.chat.idle();
      }
      await rpc('conversations.messages', { conversationId: conversation.id });
      for (const messageId of replies) await rpc('routing.decision', { messageId });

      // A council with both models: failed members go to council_responses and council.finished.
      const started = (await rpc('council.start', { question: 'Which queue for a small team?', models: [LOCAL, DEEPSEEK, GROQ], minResponses: 1 })) as { data: { runId: string } };
      await h.app.services.council.wait(started.data.runId);
      await rpc('council.get', { id: started.data.runId });
      await rpc('council.list', {});
      await rpc('council.export', {});
      await rpc('metrics.export', {});
      await rpc('network.log', {});

      // /v1: the OpenAI-compatible endpoint, streamed and not.
      h.app.services.settings.update({ apiServer: { enabled: true, port: await closedPort() } });
      const { data: api } = (await rpc('api.status', {})) as { data: { baseUrl: string } };
      for (const model of [DEEPSEEK, GROQ]) {
        for (const stream of [false, true]) {
          const res = await fetch(`${api.baseUrl}/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
          });
          seen.push(`/v1 ${model} stream=${stream} ${res.status} ${await res.text()}`);
        }
      }

      // The providers did repeat the keys (so the checks below would catch a leak) …
      const all = [...seen, ...events, ...logLines].join('\n');
      expect(all).toContain('[REDACTED]');
      expect(deepseek.requests.some((r) => r.headers.authorization === `Bearer ${KEYCHAIN_KEY}`)).toBe(true);
      expect(groq.requests.some((r) => r.headers.authorization === `Bearer ${ENV_KEY}`)).toBe(true);
      // … and the keys reached no answer, event or log line.
      for (const key of [KEYCHAIN_KEY, ENV_KEY]) {
        expect(seen.filter((s) => s.includes(key)), `RPC and /v1 answers holding ${key}`).toEqual([]);
        expect(events.filter((s) => s.includes(key)), `events holding ${key}`).toEqual([]);
        expect(logLines.filter((s) => s.includes(key)), `log lines holding ${key}`).toEqual([]);
        // While the app runs, the latest writes are in the WAL.
        expect(filesWith(h.dataDir, key), `files holding ${key} while the app runs`).toEqual([]);
      }

      unsubscribe();
      await h.app.dispose();
      for (const key of [KEYCHAIN_KEY, ENV_KEY]) expect(filesWith(h.dataDir, key), `files holding ${key} after the app closed`).toEqual([]);
    } finally {
      unsubscribe();
      await h.close();
    }
  });

  it('the CLI prints the provider’s error without the key', async () => {
    const dataDir = tempDir();
    try {
      const env = { SWITCHBOARD_DATA_DIR: dataDir, OLLAMA_HOST: ollama.url, GROQ_API_KEY: CLI_KEY, GROQ_BASE_URL: `${groq.url}/v1` };
      for (const argv of [['chat', 'hi', '--model', GROQ], ['council', 'Which queue?', '--models', `${LOCAL},${GROQ}`, '--min-responses', '1', '--json']]) {
        const { stdout, stderr } = await cli(argv, env);
        expect(`${stdout}\n${stderr}`, argv.join(' ')).not.toContain(CLI_KEY);
      }
      expect(groq.requests.some((r) => r.headers.authorization === `Bearer ${CLI_KEY}`)).toBe(true);
      expect(filesWith(dataDir, CLI_KEY)).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
