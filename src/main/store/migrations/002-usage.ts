import type { Migration } from '../migrations';

/**
 * Version 2: one row per model call (each attempt of a reply is a call), for cost and latency
 * reports. `message_id` survives the message's deletion as NULL, so spend history is kept.
 */
export const migration: Migration = {
  version: 2,
  name: 'calls: per-call usage, cost and latency',
  up(db) {
    db.exec(`
      CREATE TABLE calls (
        id TEXT PRIMARY KEY,
        message_id TEXT REFERENCES messages(id) ON DELETE SET NULL,
        model_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        tier TEXT NOT NULL CHECK (tier IN ('local','free','paid')),
        started_at INTEGER NOT NULL,
        first_token_at INTEGER,
        ended_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok','error','cancelled')),
        error_code TEXT,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cached_input_tokens INTEGER NOT NULL DEFAULT 0,
        cache_write_tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd REAL NOT NULL DEFAULT 0,
        estimated INTEGER NOT NULL DEFAULT 0 CHECK (estimated IN (0,1)),
        attempt INTEGER NOT NULL DEFAULT 1,
        fallback_from TEXT
      );
      CREATE INDEX calls_by_model_time ON calls(model_id, started_at);
      CREATE INDEX calls_by_time ON calls(started_at);
      CREATE INDEX calls_by_message ON calls(message_id);
    `);
  },
};
