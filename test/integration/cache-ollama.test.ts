import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ask, openCacheDb, reply } from '../../src/main/cache/cache-test-helpers';
import { CacheService, embedderFromProvider } from '../../src/main/cache';
import { OllamaProvider } from '../../src/main/providers/ollama';
import type { Db } from '../../src/main/store';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { tempDir } from '../helpers/app-harness';

const EMBED = 'nomic-embed-text:latest';
let ollama: FakeOllama;
let dir: string;
let db: Db;

beforeAll(async () => {
  ollama = await startFakeOllama({
    models: [
      { name: 'llama3.2:3b', family: 'llama' },
      { name: EMBED, embedding: true, parameterSize: '137M', embeddingDim: 768 },
    ],
  });
});
afterAll(() => ollama.close());
afterEach(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  ollama.addModel({ name: EMBED, embedding: true, parameterSize: '137M', embeddingDim: 768 });
});

function openCache(): CacheService {
  dir = tempDir('switchboard-cache-');
  db = openCacheDb(path.join(dir, 'switchboard.db'));
  const provider = new OllamaProvider({ host: () => ollama.url });
  return new CacheService({ db, embedder: embedderFromProvider(provider, EMBED) });
}

const PROMPT = 'how do I enable the dark mode setting in the preferences window of the app';

describe('the cache with Ollama embeddings (fake server, real provider, file database)', () => {
  it('serves paraphrases and refuses negations, embedding through /api/embed', async () => {
    const cache = openCache();
    expect(cache.status()).toMatchObject({ semantic: 'ready', embeddingModel: EMBED });
    await cache.store(reply(ask(PROMPT), 'Settings > Appearance > Dark'));
    const embedCalls = ollama.requests.filter((r) => r.path === '/api/embed').length;
    expect(embedCalls).toBeGreaterThan(0);

    const paraphrase = await cache.lookup(ask('how can I enable the dark mode setting in the preferences window of the app?'));
    expect(paraphrase.hit).toMatchObject({ kind: 'semantic', text: 'Settings > Appearance > Dark' });
    const negated = await cache.lookup(ask('how do I not enable the dark mode setting in the preferences window of the app'));
    expect(negated.hit).toBeNull();
    expect(negated.reason).toMatch(/differs in negations/);
    expect(cache.stats()).toMatchObject({ entries: 1, hits: 1, misses: 1 });
  });

  it('keeps its entries and vectors across a restart', async () => {
    const cache = openCache();
    await cache.store(reply(ask(PROMPT), 'dark'));
    db.close();
    db = openCacheDb(path.join(dir, 'switchboard.db'));
    const reopened = new CacheService({ db, embedder: embedderFromProvider(new OllamaProvider({ host: () => ollama.url }), EMBED) });
    expect((await reopened.lookup(ask(PROMPT))).hit?.kind).toBe('exact');
    expect((await reopened.lookup(ask('how can I enable the dark mode setting in the preferences window of the app?'))).hit?.kind).toBe('semantic');
  });

  it('goes on exact-only when the embedding model disappears, and says why', async () => {
    const cache = openCache();
    await cache.store(reply(ask(PROMPT), 'dark'));
    ollama.removeModel(EMBED);
    const miss = await cache.lookup(ask('how can I enable the dark mode setting in the preferences window of the app?'));
    expect(miss.hit).toBeNull();
    expect(miss.reason).toMatch(/embedding failed: .*not installed.*ollama pull nomic-embed-text/);
    expect(cache.status()).toMatchObject({ semantic: 'unavailable', reason: expect.stringMatching(/nomic-embed-text:latest failed/) });
    expect((await cache.lookup(ask(PROMPT))).hit?.kind).toBe('exact');
  });
});
