import type { Migration } from '../migrations';

/**
 * Version 5: the response cache (issue #6). One row per cached answer, keyed by the SHA-256 of
 * the canonical request; the float32 embedding of its prompt beside it for semantic matching.
 *
 * The sqlite-vec index (`cache_vec_<dim>`, a vec0 table of sign bits) is not created here: it needs
 * the extension loaded and the embedding model's dimension, which only the cache service knows,
 * so the service creates it on first use. Entries never reuse an id (AUTOINCREMENT), so a vector
 * row left behind while the extension could not load can never point at a newer entry.
 */
export const migration: Migration = {
  version: 5,
  name: 'response cache: entries, embeddings, totals, stats',
  up(db) {
    db.exec(`
      CREATE TABLE cache_entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key BLOB NOT NULL UNIQUE,
        model_key TEXT NOT NULL,
        model_id TEXT NOT NULL,
        model_digest TEXT,
        intent TEXT,
        prompt TEXT NOT NULL,
        guards TEXT NOT NULL,
        response TEXT NOT NULL,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd REAL NOT NULL DEFAULT 0,
        size_bytes INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        ttl_ms INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL,
        last_hit_at INTEGER,
        hits INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX cache_entries_lru ON cache_entries(last_used_at, id);
      CREATE INDEX cache_entries_expiry ON cache_entries(expires_at);
      CREATE INDEX cache_entries_model ON cache_entries(model_id);

      CREATE TABLE cache_embeddings (
        entry_id INTEGER PRIMARY KEY REFERENCES cache_entries(id) ON DELETE CASCADE,
        scope INTEGER NOT NULL,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL
      );
      CREATE INDEX cache_embeddings_scope ON cache_embeddings(scope, dim);

      -- Kept by triggers so the size limit is checked without summing the table on every store.
      CREATE TABLE cache_totals (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        entries INTEGER NOT NULL,
        bytes INTEGER NOT NULL
      );
      INSERT INTO cache_totals (id, entries, bytes) VALUES (1, 0, 0);
      CREATE TRIGGER cache_entries_count_insert AFTER INSERT ON cache_entries BEGIN
        UPDATE cache_totals SET entries = entries + 1, bytes = bytes + new.size_bytes WHERE id = 1;
      END;
      CREATE TRIGGER cache_entries_count_delete AFTER DELETE ON cache_entries BEGIN
        UPDATE cache_totals SET entries = entries - 1, bytes = bytes - old.size_bytes WHERE id = 1;
      END;

      -- Lifetime counters; savings are the stored cost of the original call, added on each hit.
      CREATE TABLE cache_stats (
        kind TEXT PRIMARY KEY CHECK (kind IN ('exact', 'semantic', 'miss', 'skipped')),
        count INTEGER NOT NULL DEFAULT 0,
        tokens_saved INTEGER NOT NULL DEFAULT 0,
        usd_saved REAL NOT NULL DEFAULT 0
      );
      INSERT INTO cache_stats (kind) VALUES ('exact'), ('semantic'), ('miss'), ('skipped');
    `);
  },
};
