import type Database from 'better-sqlite3';
import type { CacheKind } from './types';

type Db = Database.Database;

/** What a hit needs: the answer and what the original call cost. */
export interface EntryRow {
  id: number;
  response: string;
  model_id: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export interface CandidateRow extends EntryRow {
  guards: string;
}

export interface NewEntry {
  key: Buffer;
  modelKey: string;
  modelId: string;
  modelDigest: string | null;
  intent: string | null;
  prompt: string;
  guards: string;
  response: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  sizeBytes: number;
  createdAt: number;
  ttlMs: number;
}

export type CounterKind = CacheKind | 'miss' | 'skipped';

export interface CounterRow {
  kind: CounterKind;
  count: number;
  tokens_saved: number;
  usd_saved: number;
}

const HIT_COLUMNS = 'id, response, model_id, input_tokens, output_tokens, cost_usd';

/**
 * The SQL of cache_entries, cache_totals and cache_stats (migration 5), as statements prepared
 * once: an exact lookup is one indexed read of the UNIQUE key; hits are written in batches (HitLedger).
 */
export class CacheEntries {
  private readonly byKey;
  private readonly byId;
  private readonly idOfKey;
  private readonly touch;
  private readonly bump;
  private readonly insertRow;
  private readonly expired;
  private readonly leastRecent;
  private readonly ofModel;
  private readonly deleteOne;
  private readonly totalsRow;
  private readonly applyPendingTx;

  constructor(private readonly db: Db) {
    this.byKey = db.prepare<[Buffer, number], EntryRow>(`SELECT ${HIT_COLUMNS} FROM cache_entries WHERE key = ? AND expires_at > ?`);
    this.byId = db.prepare<[number, number], CandidateRow>(
      `SELECT ${HIT_COLUMNS}, guards FROM cache_entries WHERE id = ? AND expires_at > ?`,
    );
    this.idOfKey = db.prepare<[Buffer], { id: number }>('SELECT id FROM cache_entries WHERE key = ?');
    this.touch = db.prepare<[number, number, number, number]>(
      'UPDATE cache_entries SET hits = hits + ?, last_hit_at = ?, last_used_at = MAX(last_used_at, ?) WHERE id = ?',
    );
    this.bump = db.prepare<[number, number, number, string]>(
      'UPDATE cache_stats SET count = count + ?, tokens_saved = tokens_saved + ?, usd_saved = usd_saved + ? WHERE kind = ?',
    );
    this.insertRow = db.prepare<[NewEntry & { expiresAt: number }]>(`
      INSERT INTO cache_entries (key, model_key, model_id, model_digest, intent, prompt, guards, response,
        input_tokens, output_tokens, cost_usd, size_bytes, created_at, ttl_ms, expires_at, last_used_at)
      VALUES (@key, @modelKey, @modelId, @modelDigest, @intent, @prompt, @guards, @response,
        @inputTokens, @outputTokens, @costUsd, @sizeBytes, @createdAt, @ttlMs, @expiresAt, @createdAt)`);
    this.expired = db.prepare<[number, number], { id: number }>(
      'SELECT id FROM cache_entries WHERE expires_at <= ? ORDER BY expires_at LIMIT ?',
    );
    this.leastRecent = db.prepare<[number], { id: number; size_bytes: number }>(
      'SELECT id, size_bytes FROM cache_entries ORDER BY last_used_at, id LIMIT ?',
    );
    this.ofModel = db.prepare<[string, string | null, string | null], { id: number }>(
      'SELECT id FROM cache_entries WHERE model_id = ? AND (? IS NULL OR model_digest IS NOT ?)',
    );
    this.deleteOne = db.prepare<[number]>('DELETE FROM cache_entries WHERE id = ?');
    this.totalsRow = db.prepare<[], { entries: number; bytes: number }>('SELECT entries, bytes FROM cache_totals WHERE id = 1');
    this.applyPendingTx = db.transaction(
      (
        hits: ReadonlyMap<number, { hits: number; lastUsed: number }>,
        counters: ReadonlyMap<CounterKind, { count: number; tokens: number; usd: number }>,
      ) => {
        for (const [id, h] of hits) this.touch.run(h.hits, h.lastUsed, h.lastUsed, id);
        for (const [kind, c] of counters) this.bump.run(c.count, c.tokens, c.usd, kind);
      },
    );
  }

  findExact(key: Buffer, now: number): EntryRow | undefined {
    return this.byKey.get(key, now);
  }

  /** A candidate of a semantic lookup, if it has not expired meanwhile. */
  findLive(id: number, now: number): CandidateRow | undefined {
    return this.byId.get(id, now);
  }

  idOf(key: Buffer): number | undefined {
    return this.idOfKey.get(key)?.id;
  }

  /** Writes the hit ledger: entries move to the recent end of the LRU order, savings add up. */
  applyPending(
    hits: ReadonlyMap<number, { hits: number; lastUsed: number }>,
    counters: ReadonlyMap<CounterKind, { count: number; tokens: number; usd: number }>,
  ): void {
    this.applyPendingTx(hits, counters);
  }

  insert(entry: NewEntry): number {
    const info = this.insertRow.run({ ...entry, expiresAt: entry.createdAt + entry.ttlMs });
    return Number(info.lastInsertRowid);
  }

  expiredIds(now: number, limit: number): number[] {
    return this.expired.all(now, limit).map((r) => r.id);
  }

  leastRecentlyUsed(limit: number): Array<{ id: number; size_bytes: number }> {
    return this.leastRecent.all(limit);
  }

  /** Entries of the model; with `keepDigest`, only those produced by another (or an unknown) digest. */
  idsOfModel(modelId: string, keepDigest?: string): number[] {
    const digest = keepDigest ?? null;
    return this.ofModel.all(modelId, digest, digest).map((r) => r.id);
  }

  /** The models whose answers are cached, among those whose id starts with `prefix`. */
  modelIds(prefix: string): string[] {
    const rows = this.db
      .prepare<[number, string], { model_id: string }>('SELECT DISTINCT model_id FROM cache_entries WHERE substr(model_id, 1, ?) = ?')
      .all(prefix.length, prefix);
    return rows.map((r) => r.model_id);
  }

  deleteIds(ids: readonly number[]): void {
    for (const id of ids) this.deleteOne.run(id);
  }

  deleteAll(): void {
    this.db.exec('DELETE FROM cache_entries');
  }

  /** A TTL change applies to every entry: "older than the TTL is not served" stays true. */
  applyTtl(ttlMs: number): void {
    this.db.prepare('UPDATE cache_entries SET ttl_ms = ?, expires_at = created_at + ?').run(ttlMs, ttlMs);
  }

  totals(): { entries: number; bytes: number } {
    return this.totalsRow.get() ?? { entries: 0, bytes: 0 };
  }

  counters(): CounterRow[] {
    return this.db.prepare<[], CounterRow>('SELECT kind, count, tokens_saved, usd_saved FROM cache_stats').all();
  }

  resetCounters(): void {
    this.db.exec('UPDATE cache_stats SET count = 0, tokens_saved = 0, usd_saved = 0');
  }
}
