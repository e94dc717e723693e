import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTO_MODEL_ID } from '../../src/main/answer';
import { similarRequests } from '../../src/main/router/difficulty/outcome-memory';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { createTestApp, type TestApp } from '../helpers/app-harness';

/**
 * Issue #11, item 3, through the app: with an embedding model installed in Ollama, an outcome keeps
 * its request's embedding (from that local model), and a later request with the same meaning in other
 * words starts on the tier that worked. The fake's embedding is a stemmed bag of words, so the request
 * with other word forms ("indexing" for "indexes") is near in meaning while sharing too few words and
 * word pairs for the n-gram match, which does not stem.
 */
const QUESTION = 'Explain how B-tree indexes speed up range queries in Postgres';
const REWORDED = 'Explained: how B-tree indexing speeds up range queried in Postgres';

let ollama: FakeOllama;
let groq: FakeOpenAI;
let h: TestApp;

beforeAll(async () => {
  ollama = await startFakeOllama({
    models: [
      { name: 'qwen2.5-coder:7b', family: 'qwen2', parameterSize: '7.6B' },
      { name: 'nomic-embed-text:latest', family: 'nomic-bert', parameterSize: '137M', embedding: true, embeddingDim: 768 },
    ],
  });
  ollama.setBehavior('qwen2.5-coder:7b', { reply: 'Sorted keys.' });
  groq = await startFakeOpenAI({ models: ['llama-3.3-70b-versatile'], apiKey: 'gsk_learning_embed_1234' });
  groq.setBehavior('*', { reply: 'Groq: a range scan walks neighbouring leaves.' });
  h = createTestApp({ ollamaUrl: ollama.url, env: { GROQ_API_KEY: 'gsk_learning_embed_1234', GROQ_BASE_URL: `${groq.url}/v1` } });
  await h.app.call('routing.updateConfig', { patch: { difficulty: { threshold: 0 } } });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([ollama?.close(), groq?.close()]);
});

describe('learning by meaning through the app (issue #11)', () => {
  it('a bad rating teaches a request with the same meaning in other words; the embedding came from the local model', async () => {
    expect(similarRequests(QUESTION, REWORDED)).toBe(false);
    const { id } = await h.app.call('conversations.create', {});
    const { assistantMessage } = await h.app.call('chat.send', { conversationId: id, content: QUESTION, model: AUTO_MODEL_ID });
    await h.app.services.chat.idle();
    expect(h.app.services.messages.get(assistantMessage.id)).toMatchObject({ status: 'complete', tier: 'local' });

    expect(await h.app.call('routing.feedback', { messageId: assistantMessage.id, verdict: 'bad' })).toEqual({ verdict: 'bad', learned: true });
    await h.app.services.routing.outcomes.settled();
    const reader = new Database(path.join(h.dataDir, 'switchboard.db'), { readonly: true });
    const row = reader.prepare('SELECT embedding_model AS model, length(embedding) AS bytes, grams FROM route_outcomes').get() as { model: string; bytes: number; grams: string };
    reader.close();
    expect(row).toMatchObject({ model: 'nomic-embed-text:latest', bytes: 768 * 4 });
    expect(row.grams).not.toMatch(/[a-z]/i); // still no request text stored
    // Embedded once, by the local model, for the cache lookup; the outcome reused that vector (memo).
    expect(ollama.requests.filter((r) => r.path === '/api/embed').map((r) => (r.body as { input: string[] }).input)).toEqual([[QUESTION]]);

    const preview = await h.app.call('routing.preview', { content: REWORDED });
    expect(preview.startFloor).toEqual({ tier: 'free', reason: '1 similar request was rated a bad answer on local' });
    expect(preview.model).toBe('groq/llama-3.3-70b-versatile');
    // A different question on another subject stays local.
    expect((await h.app.call('routing.preview', { content: 'Write a limerick about a cat who loves boxes' })).model).toBe('ollama/qwen2.5-coder:7b');
  });
});
