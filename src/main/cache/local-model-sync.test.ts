import { describe, expect, it } from 'vitest';
import { CacheService } from './cache-service';
import { ask, hashedEmbedder, openCacheDb, reply } from './cache-test-helpers';
import { LocalModelSync, type InstalledLocalModel } from './local-model-sync';

function setup(models: InstalledLocalModel[], capabilities: Record<string, string[]> = {}) {
  const cache = new CacheService({ db: openCacheDb() });
  const state = { models, down: false, shown: [] as string[] };
  const sync = new LocalModelSync({
    cache,
    provider: 'ollama',
    listInstalled: async () => {
      if (state.down) throw new Error('connect ECONNREFUSED');
      return state.models;
    },
    capabilities: async (name) => {
      state.shown.push(name);
      return capabilities[name] ?? ['completion'];
    },
    embedder: (name) => hashedEmbedder(name),
  });
  return { cache, sync, state };
}

describe('LocalModelSync', () => {
  it('prefers nomic-embed-text, then mxbai-embed-large, without asking /api/show', async () => {
    const { cache, sync, state } = setup([{ name: 'mxbai-embed-large:latest', digest: 'm' }, { name: 'nomic-embed-text:v1.5', digest: 'n' }, { name: 'llama3.2:3b', digest: 'l' }]);
    await sync.refresh(true);
    expect(sync.embeddingModel).toBe('nomic-embed-text:v1.5');
    expect(cache.status()).toMatchObject({ semantic: 'ready', embeddingModel: 'nomic-embed-text:v1.5' });
    state.models = state.models.filter((m) => !m.name.startsWith('nomic'));
    await sync.refresh(true);
    expect(sync.embeddingModel).toBe('mxbai-embed-large:latest');
    expect(state.shown).toEqual([]);
  });

  it('reads the list again when a forced refresh arrives while one is under way', async () => {
    const { sync, state } = setup([{ name: 'llama3.2:3b', digest: 'l' }]);
    const first = sync.refresh(true);
    // A pull finishes while the first read is in flight: its list may predate the new model.
    state.models = [...state.models, { name: 'nomic-embed-text:latest', digest: 'n' }];
    const second = sync.refresh(true);
    const third = sync.refresh(true);
    await first;
    expect(sync.embeddingModel).toBe(null);
    await Promise.all([second, third]);
    expect(sync.embeddingModel).toBe('nomic-embed-text:latest');
  });

  it('falls back to any model whose capabilities include embedding, asking once per digest', async () => {
    const { sync, state } = setup([{ name: 'llama3.2:3b', digest: 'l' }, { name: 'bge-m3:latest', digest: 'b' }], { 'bge-m3:latest': ['embedding'] });
    await sync.refresh(true);
    expect(sync.embeddingModel).toBe('bge-m3:latest');
    await sync.refresh(true);
    expect(state.shown).toEqual(['llama3.2:3b', 'bge-m3:latest']);
  });

  it('runs exact-only when none is installed, and keeps what it knew while Ollama is down', async () => {
    const { cache, sync, state } = setup([{ name: 'llama3.2:3b', digest: 'l' }]);
    await sync.refresh(true);
    expect(cache.status()).toMatchObject({ semantic: 'unavailable', reason: expect.stringMatching(/pull nomic-embed-text/) });
    await cache.store(reply(ask('a question'), 'an answer', { model: 'ollama/llama3.2:3b', modelDigest: 'l' }));
    state.down = true;
    await sync.refresh(true);
    expect(cache.stats().entries).toBe(1);
    expect(sync.digestOf('ollama/llama3.2:3b')).toBe('l');
  });

  it('drops answers of a removed model, and of a model whose digest changed', async () => {
    const { cache, sync, state } = setup([{ name: 'llama3.2:3b', digest: 'l' }, { name: 'qwen2.5:7b', digest: 'q' }]);
    await cache.store(reply(ask('one'), 'x', { model: 'ollama/llama3.2:3b', modelDigest: 'l' }));
    await cache.store(reply(ask('two'), 'y', { model: 'ollama/qwen2.5:7b', modelDigest: 'q' }));
    await cache.store(reply(ask('three'), 'z', { model: 'groq/llama-3.1-8b-instant', modelDigest: undefined }));
    await sync.refresh(true);
    expect(cache.stats().entries).toBe(3);
    state.models = [{ name: 'llama3.2:3b', digest: 'l2' }];
    await sync.refresh(true);
    expect(cache.cachedModels()).toEqual(['groq/llama-3.1-8b-instant']);
  });
});
