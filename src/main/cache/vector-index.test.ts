import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../store';
import { cosine, openCacheDb, randomUnitVector, seededRandom } from './cache-test-helpers';
import { VectorIndex, type VectorIndexOptions } from './vector-index';

const DIM = 768;
let db: Db;
afterEach(() => db?.close());

/** Indexes the vectors under scope 42, with entry rows for them to hang on; returns them by entry id. */
function build(list: Float32Array[], options: VectorIndexOptions = {}) {
  db = openCacheDb();
  const index = VectorIndex.open(db, options);
  if (!(index instanceof VectorIndex)) throw new Error(index.error);
  const insert = db.prepare(`INSERT INTO cache_entries (key, model_key, model_id, prompt, guards, response, size_bytes,
    created_at, ttl_ms, expires_at, last_used_at) VALUES (randomblob(32), 'm', 'm', '', '[]', '', 0, 0, 1, 1, 0)`);
  const vectors = new Map<number, Float32Array>();
  db.transaction(() => {
    for (const v of list) {
      const id = Number(insert.run().lastInsertRowid);
      vectors.set(id, v);
      index.add(id, 42n, v);
    }
  })();
  return { index, vectors };
}

function randomVectors(count: number, random: () => number): Float32Array[] {
  return Array.from({ length: count }, () => randomUnitVector(DIM, random));
}

/** A unit vector near `q`: cosine about 1 / sqrt(1 + spread^2). */
function near(q: Float32Array, spread: number, random: () => number): Float32Array {
  const noise = randomUnitVector(DIM, random);
  const v = Float32Array.from(q, (x, i) => x + spread * (noise[i] ?? 0));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function bruteForce(vectors: Map<number, Float32Array>, q: Float32Array, k: number): Array<{ entryId: number; similarity: number }> {
  return [...vectors]
    .map(([entryId, v]) => ({ entryId, similarity: cosine(q, v) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
}

describe('VectorIndex', () => {
  it('finds the same top-k as a brute-force cosine over 400 random vectors', () => {
    const random = seededRandom(6);
    const { index, vectors } = build(randomVectors(400, random));
    for (let trial = 0; trial < 20; trial++) {
      const q = randomUnitVector(DIM, random);
      const expected = bruteForce(vectors, q, 5);
      const got = index.nearest(42n, q, { k: 5 });
      expect(got.map((n) => n.entryId)).toEqual(expected.map((n) => n.entryId));
      got.forEach((n, i) => expect(n.similarity).toBeCloseTo(expected[i]?.similarity ?? NaN, 5));
    }
  });

  it("vec0's KNN over the sign bits agrees with a brute-force Hamming distance", () => {
    const random = seededRandom(7);
    const { vectors } = build(randomVectors(400, random));
    const knn = db.prepare<[Buffer], { rowid: number; distance: number }>(
      'SELECT rowid, distance FROM cache_vec_768 WHERE embedding MATCH vec_quantize_binary(?) AND k = 10 AND scope = 42',
    );
    const bits = (v: Float32Array) => Array.from(v, (x) => x > 0);
    for (let trial = 0; trial < 10; trial++) {
      const q = randomUnitVector(DIM, random);
      const qb = bits(q);
      const hamming = [...vectors.values()].map((v) => bits(v).reduce((d, b, i) => d + (b !== qb[i] ? 1 : 0), 0)).sort((a, b) => a - b);
      const got = knn.all(Buffer.from(q.buffer));
      // Distances, not ids: many vectors tie on a whole number of bits.
      expect(got.map((r) => r.distance)).toEqual(hamming.slice(0, 10));
    }
  });

  it('finds the close neighbours through the quantized stage when a scope is large', () => {
    const random = seededRandom(8);
    // Ten queries, each with three stored neighbours at cosine ~0.89-0.98 (a paraphrase and its cached
    // prompt), hidden among 600 random vectors; the scope is too large for the exact scan.
    const queries = randomVectors(10, random);
    const planted = queries.flatMap((q) => [0.2, 0.35, 0.5].map((spread) => near(q, spread, random)));
    const { index, vectors } = build([...randomVectors(600, random), ...planted], { exactScanMax: 50 });
    for (const q of queries) {
      const expected = bruteForce(vectors, q, 5).filter((n) => n.similarity >= 0.85);
      expect(expected).toHaveLength(3);
      const got = index.nearest(42n, q, { k: 5 }).filter((n) => n.similarity >= 0.85);
      expect(got.map((n) => n.entryId)).toEqual(expected.map((n) => n.entryId));
    }
  });

  it('keeps scopes apart and forgets removed vectors', () => {
    const { index, vectors } = build(randomVectors(20, seededRandom(9)));
    const [first] = vectors;
    const [id, v] = first as [number, Float32Array];
    expect(index.nearest(7n, v, { k: 3 })).toEqual([]);
    expect(index.nearest(42n, v, { k: 1 })[0]?.entryId).toBe(id);
    index.remove([id]);
    db.prepare('DELETE FROM cache_entries WHERE id = ?').run(id);
    expect(index.nearest(42n, v, { k: 1 })[0]?.entryId).not.toBe(id);
  });

  it('pads vectors whose length is not a multiple of 8', () => {
    db = openCacheDb();
    const index = VectorIndex.open(db) as VectorIndex;
    db.prepare(`INSERT INTO cache_entries (id, key, model_key, model_id, prompt, guards, response, size_bytes, created_at, ttl_ms,
      expires_at, last_used_at) VALUES (1, x'00', 'm', 'm', '', '[]', '', 0, 0, 1, 1, 0)`).run();
    index.add(1, 1n, Float32Array.from([0.6, 0.8, 0]));
    expect(index.nearest(1n, Float32Array.from([0.6, 0.8, 0]), { k: 1 })[0]?.similarity).toBeCloseTo(1, 6);
  });
});
