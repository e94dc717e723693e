import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CacheService, type CacheRequest, type Embedder, type StoreRequest } from '../src/main/cache';
import { OllamaProvider } from '../src/main/providers/ollama';
import { MIGRATIONS, openDatabase, type Db } from '../src/main/store';
import { migration as cacheMigration } from '../src/main/store/migrations/005-cache';
import { percentile } from '../src/main/runner';
import { startFakeOllama } from '../test/fixtures/fake-ollama';
import type { BenchResult } from './provider-overhead';

/** Issue #6's targets: an exact hit under 1 ms at p99; a semantic lookup among 100k under 20 ms at p99. */
const TARGET_EXACT_P99_MS = 1;
const TARGET_SEMANTIC_P99_MS = 20;
const DIM = 768;
const SIZES = [1_000, 10_000, 100_000];
const EXACT_ENTRIES = 10_000;
const EXACT_LOOKUPS = 2_000;
const SEMANTIC_LOOKUPS = 300;
const WARMUP = 20;

/** A deterministic PRNG and random unit vectors: the embeddings are precomputed, not timed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function unitVector(random: () => number, around?: number[], spread = 0): number[] {
  const v = Array.from({ length: DIM }, (_, i) => {
    const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return around ? (around[i] ?? 0) + spread * g / Math.sqrt(DIM) : g;
  });
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** Letters only, so the prompts carry no numbers for the guards to compare. */
function letters(n: number): string {
  let out = '';
  let x = n;
  do {
    out = String.fromCharCode(97 + (x % 26)) + out;
    x = Math.floor(x / 26);
  } while (x > 0);
  return out;
}

const ask = (content: string): CacheRequest => ({
  messages: [{ role: 'user', content }], modelKey: 'tier:cheap', intent: 'chat', params: { temperature: 0 },
});
const reply = (request: CacheRequest, text: string): StoreRequest => ({
  ...request, text, model: 'ollama/llama3.2:3b', usage: { inputTokens: 200, outputTokens: 300, estimated: false },
  costUsd: 0, gatesPassed: true, outcome: 'complete',
});

/** An embedder that answers from a table of precomputed vectors: lookups time the cache alone. */
function tableEmbedder(table: Map<string, number[]>): Embedder {
  return {
    model: 'bench-embed',
    embed: async (texts) => texts.map((t) => {
      const v = table.get(t);
      if (!v) throw new Error(`no precomputed vector for "${t}"`);
      return v;
    }),
  };
}

/** The app's migrations, with the cache's added if the list does not hold it yet. */
const migrations = MIGRATIONS.some((m) => m.version === cacheMigration.version) ? MIGRATIONS : [...MIGRATIONS, cacheMigration];

function openBenchDb(dir: string, name: string): Db {
  return openDatabase(path.join(dir, `${name}.db`), { migrations });
}

function stats(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number | null) => Math.round((x ?? NaN) * 1000) / 1000;
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
}

/** Stores `count` entries through the public API, inside one transaction (stores nest as savepoints). */
async function fill(db: Db, cache: CacheService, table: Map<string, number[]>, count: number, random: () => number): Promise<number> {
  const started = performance.now();
  db.exec('BEGIN');
  for (let i = 0; i < count; i++) {
    const prompt = `cached prompt ${letters(i)}`;
    table.set(prompt, unitVector(random));
    await cache.store(reply(ask(prompt), `answer ${letters(i)}`));
  }
  db.exec('COMMIT');
  return performance.now() - started;
}

async function time(run: () => Promise<unknown>, warmup: number, samples: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await run();
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await run();
    out.push(performance.now() - t);
  }
  return out;
}

async function benchExact(dir: string): Promise<Record<string, number | string>> {
  const db = openBenchDb(dir, 'exact');
  try {
    const cache = new CacheService({ db, settings: { maxEntries: 1_000_000, maxBytes: 2 ** 31 } });
    const random = rng(1);
    db.exec('BEGIN');
    for (let i = 0; i < EXACT_ENTRIES; i++) await cache.store(reply(ask(`exact prompt ${letters(i)}`), `answer ${i}`));
    db.exec('COMMIT');
    const samples = await time(async () => {
      const { hit } = await cache.lookup(ask(`exact prompt ${letters(Math.floor(random() * EXACT_ENTRIES))}`));
      if (!hit) throw new Error('exact bench: expected a hit');
    }, WARMUP, EXACT_LOOKUPS);
    const { p50, p99 } = stats(samples);
    return { case: 'exact hit', entries: EXACT_ENTRIES, samples: EXACT_LOOKUPS, p50Ms: p50, p99Ms: p99, targetP99Ms: TARGET_EXACT_P99_MS };
  } finally {
    db.close();
  }
}

async function benchSemantic(dir: string, size: number): Promise<Array<Record<string, number | string>>> {
  const db = openBenchDb(dir, `semantic-${size}`);
  try {
    const table = new Map<string, number[]>();
    const cache = new CacheService({ db, embedder: tableEmbedder(table), settings: { maxEntries: 1_000_000, maxBytes: 2 ** 31 } });
    const random = rng(size);
    const buildMs = await fill(db, cache, table, size, random);
    // Half the queries are paraphrases of a cached prompt (cosine ~0.97), half unrelated (misses).
    const queries = Array.from({ length: SEMANTIC_LOOKUPS + WARMUP }, (_, i) => {
      const prompt = `asked prompt ${letters(i)}`;
      const target = table.get(`cached prompt ${letters(Math.floor(random() * size))}`);
      table.set(prompt, i % 2 === 0 && target ? unitVector(random, target, 0.25) : unitVector(random));
      return prompt;
    });
    let next = 0;
    let hits = 0;
    const samples = await time(async () => {
      const { hit } = await cache.lookup(ask(queries[next++] ?? ''));
      if (hit?.kind === 'semantic') hits++;
    }, WARMUP, SEMANTIC_LOOKUPS);
    const { p50, p99 } = stats(samples);
    return [{
      case: 'semantic lookup', entries: size, samples: SEMANTIC_LOOKUPS, p50Ms: p50, p99Ms: p99, targetP99Ms: TARGET_SEMANTIC_P99_MS,
      hitRate: Math.round((hits / (SEMANTIC_LOOKUPS + WARMUP)) * 100) / 100, buildMs: Math.round(buildMs),
    }];
  } finally {
    db.close();
  }
}

/** Embedding time, apart: the fake Ollama's /api/embed through the real provider (HTTP included). */
async function benchEmbed(): Promise<Record<string, number | string>> {
  const model = 'nomic-embed-text:latest';
  const fake = await startFakeOllama({ models: [{ name: model, embedding: true, embeddingDim: DIM }] });
  try {
    const provider = new OllamaProvider({ host: () => fake.url });
    let i = 0;
    const samples = await time(() => provider.embed({ model, input: [`how do I do thing ${letters(i++)} in the app`] }), WARMUP, 200);
    const { p50, p99 } = stats(samples);
    return { case: 'embed one prompt (fake Ollama /api/embed over HTTP)', entries: 0, samples: 200, p50Ms: p50, p99Ms: p99 };
  } finally {
    await fake.close();
  }
}

/**
 * The response cache's lookup latency (issue #6). All semantic entries share one scope (same
 * intent, system prompt, model and parameters): the worst case, where every vector is a candidate.
 * Stores go through CacheService.store inside one transaction; lookups through CacheService.lookup,
 * with embeddings precomputed (random unit vectors of 768 dimensions) and timed separately.
 */
export async function benchCache(): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-cache-'));
  try {
    const rows: Array<Record<string, number | string>> = [await benchExact(dir)];
    for (const size of SIZES) rows.push(...(await benchSemantic(dir, size)));
    rows.push(await benchEmbed());
    const exact = rows[0] ?? {};
    const at = (n: number) => rows.find((r) => r.case === 'semantic lookup' && r.entries === n) ?? {};
    const embed = rows[rows.length - 1] ?? {};
    return {
      name: 'cache: exact and semantic lookup latency',
      rows,
      summary: {
        exactHitP50Ms: exact.p50Ms ?? NaN,
        exactHitP99Ms: exact.p99Ms ?? NaN,
        exactTargetMet: Number(exact.p99Ms) < TARGET_EXACT_P99_MS,
        semantic1kP99Ms: at(1_000).p99Ms ?? NaN,
        semantic10kP99Ms: at(10_000).p99Ms ?? NaN,
        semantic100kP50Ms: at(100_000).p50Ms ?? NaN,
        semantic100kP99Ms: at(100_000).p99Ms ?? NaN,
        semanticTargetMet: Number(at(100_000).p99Ms) < TARGET_SEMANTIC_P99_MS,
        build100kMs: at(100_000).buildMs ?? NaN,
        embedP50Ms: embed.p50Ms ?? NaN,
        embedP99Ms: embed.p99Ms ?? NaN,
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
