// Shared by the cache's tests (unit and integration); not part of the public face.
import { embedText } from '../../../test/fixtures/ollama-protocol';
import { MIGRATIONS, openDatabase, type Db } from '../store';
import { migration as cacheMigration } from '../store/migrations/005-cache';
import type { CacheClock, CacheRequest, Embedder, StoreRequest } from './types';
import { seededRandom } from '../../shared/random';

/** The app's migrations, with the cache's (version 5) added if the list does not hold it yet. */
export const CACHE_MIGRATIONS = MIGRATIONS.some((m) => m.version === cacheMigration.version) ? MIGRATIONS : MIGRATIONS;

/** An in-memory (or file) database migrated up to and including the cache's tables. */
export function openCacheDb(file = ':memory:'): Db {
  return openDatabase(file, { migrations: CACHE_MIGRATIONS });
}

export class FakeClock implements CacheClock {
  constructor(public t = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** The fake Ollama's embedding (hashed bag of words, unit length), without the HTTP. */
export function hashedEmbedder(model = 'nomic-embed-text', dim = 768): Embedder & { calls: number } {
  const embedder = {
    model,
    calls: 0,
    embed: async (texts: string[]) => {
      embedder.calls += 1;
      return texts.map((t) => embedText(t, dim));
    },
  };
  return embedder;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

/** A one-question request at a cacheable temperature. */
export function ask(content: string, over: Partial<CacheRequest> = {}): CacheRequest {
  return { messages: [{ role: 'user', content }], modelKey: 'tier:cheap', intent: 'chat', params: { temperature: 0.2 }, ...over };
}

export function reply(request: CacheRequest, text: string, over: Partial<StoreRequest> = {}): StoreRequest {
  return {
    ...request,
    text,
    model: 'ollama/llama3.2:3b',
    modelDigest: 'sha256:aaa',
    usage: { inputTokens: 120, outputTokens: 80, estimated: false },
    costUsd: 0.002,
    gatesPassed: true,
    outcome: 'complete',
    ...over,
  };
}

/** Seeded PRNG (mulberry32), so random-vector tests are the same on every run. */
export { seededRandom };

/** A random unit vector (Gaussian by Box-Muller, so directions are uniform). */
export function randomUnitVector(dim: number, random: () => number): Float32Array {
  const v = new Float32Array(dim);
  let norm = 0;
  for (let i = 0; i < dim; i++) {
    const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    v[i] = g;
    norm += g * g;
  }
  const k = 1 / Math.sqrt(norm);
  for (let i = 0; i < dim; i++) v[i] = (v[i] ?? 0) * k;
  return v;
}
