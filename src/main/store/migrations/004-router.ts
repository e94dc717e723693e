import type { Migration } from '../migrations';

/**
 * Version 4: the router's tables (issue #5).
 *  - budget_reservations: money held for requests in flight, so concurrent requests cannot pass the
 *    stop threshold together; settled rows keep the actual cost (spend when no `calls` table is used).
 *  - route_decisions: why each reply went where it went (analysis, candidates, attempts).
 *  - outbound_requests: every outbound HTTP attempt, allowed or refused (Settings → Network).
 *  - context_summaries: summaries of older turns per conversation, keyed by the last message summarised.
 * `message_id` survives the message's deletion as NULL, like `calls.message_id` (migration 2).
 */
export const migration: Migration = {
  version: 4,
  name: 'router: budget reservations, route decisions, outbound log, context summaries',
  up(db) {
    db.exec(`
      CREATE TABLE budget_reservations (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        amount_usd REAL NOT NULL CHECK (amount_usd >= 0),
        status TEXT NOT NULL CHECK (status IN ('held','settled','released')),
        actual_usd REAL,
        closed_at INTEGER,
        purpose TEXT
      );
      CREATE INDEX budget_reservations_by_status ON budget_reservations(status, created_at);
      CREATE INDEX budget_reservations_by_close ON budget_reservations(closed_at);

      CREATE TABLE route_decisions (
        id TEXT PRIMARY KEY,
        message_id TEXT REFERENCES messages(id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL,
        analysis_json TEXT NOT NULL,
        candidates_json TEXT NOT NULL,
        attempts_json TEXT NOT NULL,
        reasons_json TEXT NOT NULL DEFAULT '[]',
        chosen_model TEXT,
        tier TEXT CHECK (tier IS NULL OR tier IN ('local','free','paid')),
        outcome TEXT NOT NULL CHECK (outcome IN ('ok','failed','cancelled','refused')),
        cost_usd REAL NOT NULL DEFAULT 0,
        latency_ms INTEGER NOT NULL DEFAULT 0,
        escalations INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX route_decisions_by_time ON route_decisions(created_at);
      CREATE INDEX route_decisions_by_message ON route_decisions(message_id);

      CREATE TABLE outbound_requests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        method TEXT NOT NULL,
        host TEXT NOT NULL,
        url TEXT NOT NULL,
        purpose TEXT NOT NULL,
        allowed INTEGER NOT NULL CHECK (allowed IN (0,1)),
        reason TEXT
      );
      CREATE INDEX outbound_requests_by_time ON outbound_requests(at);

      CREATE TABLE context_summaries (
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        last_message_id TEXT NOT NULL,
        summary TEXT NOT NULL,
        summarised_count INTEGER NOT NULL,
        tokens INTEGER NOT NULL,
        model_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, last_message_id)
      );
    `);
  },
};
