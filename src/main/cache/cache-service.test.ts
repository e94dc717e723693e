import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../store';
import { CacheService, type CacheServiceOptions } from './cache-service';
import { FakeClock, ask, hashedEmbedder, openCacheDb, reply } from './cache-test-helpers';

const DAY = 24 * 60 * 60 * 1000;
let db: Db;
afterEach(() => db?.close());

function cache(options: Partial<CacheServiceOptions> = {}): { cache: CacheService; clock: FakeClock } {
  db = openCacheDb();
  const clock = new FakeClock();
  return { cache: new CacheService({ db, clock, embedder: null, ...options }), clock };
}

describe('exact cache', () => {
  it('misses, stores, then hits with the saving of the original call', async () => {
    const { cache: c } = cache();
    const q = ask('What does `git rebase -i HEAD~3` do?');
    expect((await c.lookup(q)).hit).toBeNull();
    const stored = await c.store(reply(q, 'It opens an interactive rebase of the last 3 commits.'));
    expect(stored).toMatchObject({ stored: true, semantic: false });
    const { hit, reason } = await c.lookup({ ...q, messages: [{ role: 'user', content: 'What does `git rebase -i HEAD~3` do?  \r\n' }] });
    expect(reason).toBe('exact match');
    expect(hit).toEqual({
      kind: 'exact', entryId: stored.entryId, text: 'It opens an interactive rebase of the last 3 commits.',
      model: 'ollama/llama3.2:3b', savedUsd: 0.002, savedTokens: 200,
    });
  });

  it('misses when anything in the key differs', async () => {
    const { cache: c } = cache();
    const q = ask('Sort a list in Python');
    await c.store(reply(q, 'sorted(xs)'));
    for (const other of [
      ask('Sort a list in Python', { modelKey: 'tier:smart' }),
      ask('Sort a list in Python', { system: 'Answer in French.' }),
      ask('Sort a list in Python', { params: { temperature: 0 } }),
      ask('Sort a list in Python', { params: { temperature: 0.2, maxTokens: 50 } }),
      ask('Sort a list in python'),
    ]) {
      expect((await c.lookup(other)).hit).toBeNull();
    }
  });

  it('replaces an entry stored twice under one key', async () => {
    const { cache: c } = cache();
    const q = ask('q');
    await c.store(reply(q, 'first'));
    await c.store(reply(q, 'second'));
    expect((await c.lookup(q)).hit?.text).toBe('second');
    expect(c.stats().entries).toBe(1);
  });
});

describe('eligibility', () => {
  it('stores only complete, gated, low-temperature replies without tool results', async () => {
    const { cache: c } = cache();
    const q = ask('q');
    const refusals: Array<[Parameters<CacheService['store']>[0], RegExp]> = [
      [reply(q, 'a', { outcome: 'partial' }), /partial/],
      [reply(q, 'a', { outcome: 'error' }), /error/],
      [reply(q, 'a', { outcome: 'cancelled' }), /cancelled/],
      [reply(q, 'a', { gatesPassed: false }), /quality gates/],
      [reply(q, '  '), /empty/],
      [reply(ask('q', { params: { temperature: 0.7 } }), 'a'), /temperature 0.7 is above 0.3/],
      [reply(ask('q', { params: {} }), 'a'), /temperature unset/],
      [reply(q, 'a', { temperature: null }), /temperature unset/],
      [reply(ask('q', { toolResults: true }), 'a'), /tool results/],
      [reply({ ...q, messages: [...q.messages, { role: 'tool', content: '{"temp": 21}' }] }, 'a'), /tool results/],
      [reply(ask('q', { bypass: true }), 'a'), /opted out/],
    ];
    for (const [request, reason] of refusals) {
      const result = await c.store(request);
      expect(result.stored).toBe(false);
      expect(result.reason).toMatch(reason);
    }
    expect(c.stats().entries).toBe(0);
  });

  it('does not serve a high-temperature, bypassed or tool-using request, and counts it as skipped', async () => {
    const { cache: c } = cache();
    await c.store(reply(ask('q'), 'a'));
    expect(await c.lookup(ask('q', { bypass: true }))).toEqual({ hit: null, reason: expect.stringMatching(/opted out/) });
    expect((await c.lookup(ask('q', { toolResults: true }))).hit).toBeNull();
    expect((await c.lookup(ask('q', { params: { temperature: 1 } }))).reason).toMatch(/above 0.3/);
    expect(c.stats()).toMatchObject({ hits: 0, misses: 0, skipped: 3 });
  });

  it('does nothing while disabled, and says so', async () => {
    const { cache: c } = cache({ settings: { enabled: false } });
    expect(await c.store(reply(ask('q'), 'a'))).toMatchObject({ stored: false, reason: expect.stringMatching(/off in settings/) });
    expect(await c.lookup(ask('q'))).toEqual({ hit: null, reason: 'the cache is off in settings' });
    expect(c.status()).toMatchObject({ exact: 'disabled', semantic: 'disabled' });
  });

  it('throws a cancelled error when the caller already stopped', async () => {
    const { cache: c } = cache();
    await expect(c.lookup(ask('q', { signal: AbortSignal.abort() }))).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('expiry and eviction', () => {
  it('stops serving an entry at its TTL (7 days by default) and purges it', async () => {
    const { cache: c, clock } = cache();
    await c.store(reply(ask('q'), 'a'));
    clock.advance(7 * DAY - 1);
    expect((await c.lookup(ask('q'))).hit).not.toBeNull();
    clock.advance(1);
    expect((await c.lookup(ask('q'))).hit).toBeNull();
    expect(c.purgeExpired()).toBe(1);
    expect(c.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('applies a TTL change to entries already stored', async () => {
    const { cache: c, clock } = cache();
    await c.store(reply(ask('q'), 'a'));
    clock.advance(2 * DAY);
    c.updateSettings({ ttlMs: DAY });
    expect((await c.lookup(ask('q'))).hit).toBeNull();
    expect(c.stats().entries).toBe(0);
  });

  it('evicts the least recently used entry first, where a hit counts as a use', async () => {
    const { cache: c, clock } = cache({ settings: { maxEntries: 3 } });
    for (const name of ['a', 'b', 'c']) {
      await c.store(reply(ask(name), name));
      clock.advance(1000);
    }
    await c.lookup(ask('a')); // a is now the most recent; b is the least
    clock.advance(1000);
    await c.store(reply(ask('d'), 'd'));
    expect((await c.lookup(ask('b'))).hit).toBeNull();
    for (const kept of ['c', 'a', 'd']) {
      expect((await c.lookup(ask(kept))).hit?.text).toBe(kept);
      clock.advance(1000);
    }
    await c.store(reply(ask('e'), 'e')); // used in the order c, a, d: c goes
    expect((await c.lookup(ask('c'))).hit).toBeNull();
    expect(c.stats().entries).toBe(3);
  });

  it('evicts by total size, also when the limit is lowered at runtime', async () => {
    const { cache: c, clock } = cache();
    const big = 'x'.repeat(10_000);
    for (const name of ['a', 'b', 'c', 'd']) {
      await c.store(reply(ask(name), big));
      clock.advance(1000);
    }
    const { bytes } = c.stats();
    expect(bytes).toBeGreaterThan(40_000);
    c.updateSettings({ maxBytes: Math.floor(bytes / 2) + 1 });
    expect(c.stats().entries).toBe(2);
    expect(c.stats().bytes).toBeLessThanOrEqual(Math.floor(bytes / 2) + 1);
    expect((await c.lookup(ask('a'))).hit).toBeNull();
    expect((await c.lookup(ask('d'))).hit).not.toBeNull();
    expect((await c.store(reply(ask('e'), 'y'.repeat(bytes)))).reason).toMatch(/above the cache size limit/);
  });
});

describe('invalidation', () => {
  it('drops every answer of a removed model', async () => {
    const { cache: c } = cache();
    await c.store(reply(ask('a'), 'a'));
    await c.store(reply(ask('b'), 'b', { model: 'openai/gpt-4o-mini', modelDigest: undefined }));
    expect(c.invalidateModel('ollama/llama3.2:3b')).toBe(1);
    expect((await c.lookup(ask('a'))).hit).toBeNull();
    expect((await c.lookup(ask('b'))).hit).not.toBeNull();
  });

  it('keeps the answers of the current digest when a model is re-pulled', async () => {
    const { cache: c } = cache();
    await c.store(reply(ask('old'), 'old', { modelDigest: 'sha256:aaa' }));
    await c.store(reply(ask('new'), 'new', { modelDigest: 'sha256:bbb' }));
    await c.store(reply(ask('unknown'), 'unknown', { modelDigest: undefined }));
    expect(c.invalidateModel('ollama/llama3.2:3b', 'sha256:bbb')).toBe(2);
    expect((await c.lookup(ask('new'))).hit?.text).toBe('new');
    expect((await c.lookup(ask('old'))).hit).toBeNull();
    expect((await c.lookup(ask('unknown'))).hit).toBeNull();
  });

  it('clear() empties the cache and keeps the lifetime counters', async () => {
    const { cache: c } = cache();
    await c.store(reply(ask('a'), 'a'));
    await c.lookup(ask('a'));
    c.clear();
    expect(c.stats()).toMatchObject({ entries: 0, bytes: 0, hits: 1 });
    expect((await c.lookup(ask('a'))).hit).toBeNull();
    c.resetStats();
    expect(c.stats()).toMatchObject({ hits: 0, misses: 0 });
  });
});

describe('stats', () => {
  it('adds up hits, misses, tokens and dollars by kind', async () => {
    const { cache: c } = cache({ embedder: hashedEmbedder() });
    const q = ask('how do I enable the dark mode setting in the preferences window of the app');
    await c.lookup(q); // miss
    await c.store(reply(q, 'Settings > Appearance', { usage: { inputTokens: 100, outputTokens: 50, estimated: false }, costUsd: 0.01 }));
    await c.lookup(q); // exact
    await c.lookup(q); // exact
    await c.lookup(ask('how can I enable the dark mode setting in the preferences window of the app?')); // semantic
    await c.lookup(ask('what is the capital of France')); // miss
    const s = c.stats();
    expect(s).toMatchObject({ entries: 1, hits: 3, misses: 2, hitRate: 0.6, tokensSaved: 450, skipped: 0 });
    expect(s.usdSaved).toBeCloseTo(0.03, 10);
    expect(s.byKind.exact).toEqual({ hits: 2, tokensSaved: 300, usdSaved: 0.02 });
    expect(s.byKind.semantic).toMatchObject({ hits: 1, tokensSaved: 150 });
    expect(s.bytes).toBeGreaterThan(768 * 4);
  });

  it('writes hit bookkeeping in batches, off the lookup path', async () => {
    const { cache: c, clock } = cache({ statsFlushMs: 20 });
    await c.store(reply(ask('a'), 'a'));
    clock.advance(5000);
    await c.lookup(ask('a'));
    await c.lookup(ask('a'));
    const row = db.prepare<[], { hits: number; last_used_at: number }>('SELECT hits, last_used_at FROM cache_entries');
    expect(row.get()).toMatchObject({ hits: 0 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(row.get()).toEqual({ hits: 2, last_used_at: clock.now() });
    expect(c.stats().byKind.exact.hits).toBe(2);
  });

  it('survives a restart (the counters live in SQLite)', async () => {
    const { cache: c, clock } = cache();
    await c.store(reply(ask('a'), 'a'));
    await c.lookup(ask('a'));
    c.dispose();
    const again = new CacheService({ db, clock });
    expect(again.stats()).toMatchObject({ entries: 1, hits: 1 });
  });
});

describe('settings', () => {
  it('validates updates and rejects nonsense', () => {
    const { cache: c } = cache();
    expect(c.updateSettings({ threshold: 0.95 }).threshold).toBe(0.95);
    expect(() => c.updateSettings({ threshold: 0.3 })).toThrow();
    expect(() => c.updateSettings({ maxBytes: -1 })).toThrow();
    expect(c.settings.threshold).toBe(0.95);
  });
});

describe('without an embedding model', () => {
  it('runs the exact cache only and says why', async () => {
    const { cache: c } = cache();
    expect(c.status()).toEqual({
      enabled: true, exact: 'ready', semantic: 'unavailable', reason: 'no embedding model installed: pull nomic-embed-text',
    });
    const q = ask('how do I enable the dark mode setting in the preferences window of the app');
    expect(await c.store(reply(q, 'a'))).toMatchObject({ stored: true, semantic: false, reason: expect.stringMatching(/pull nomic-embed-text/) });
    expect((await c.lookup(q)).hit?.kind).toBe('exact');
    const paraphrase = await c.lookup(ask('how can I enable the dark mode setting in the preferences window of the app?'));
    expect(paraphrase.hit).toBeNull();
    expect(paraphrase.reason).toMatch(/no embedding model installed: pull nomic-embed-text/);
  });

  it('runs exact-only when sqlite-vec cannot load', async () => {
    const { cache: c } = cache({
      embedder: hashedEmbedder(),
      loadVectorExtension: () => {
        throw new Error('cannot open shared object file');
      },
    });
    expect(c.status()).toMatchObject({ semantic: 'unavailable', reason: expect.stringMatching(/sqlite-vec could not be loaded/) });
    const q = ask('q');
    await c.store(reply(q, 'a'));
    expect((await c.lookup(q)).hit?.kind).toBe('exact');
  });
});
