import type { Migration } from '../migrations';

/**
 * Version 12: what the router learns from the user (issue #11). One row per outcome that says which
 * tier a request needed: an escalation after a failed gate, a failed validation, a regenerate on a
 * stronger model, an edit-and-resend, a 👍 or 👎 on a reply. The request is kept only as hashed
 * n-gram ids (`grams`, for similarity), never as text; nothing here leaves the machine.
 * `message_id` (the assistant reply) survives the message's deletion as NULL, like route_decisions.
 */
export const migration: Migration = {
  version: 12,
  name: 'route_outcomes: tiers that worked for earlier requests',
  up(db) {
    db.exec(`
      CREATE TABLE route_outcomes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at INTEGER NOT NULL,
        message_id TEXT REFERENCES messages(id) ON DELETE SET NULL,
        kind TEXT NOT NULL CHECK (kind IN ('escalated','validation_failed','regenerated','edited','thumbs_up','thumbs_down')),
        from_tier TEXT NOT NULL CHECK (from_tier IN ('local','free','paid')),
        to_tier TEXT NOT NULL CHECK (to_tier IN ('local','free','paid')),
        grams TEXT NOT NULL
      );
      CREATE INDEX route_outcomes_by_time ON route_outcomes(created_at);
      CREATE INDEX route_outcomes_by_message ON route_outcomes(message_id);
    `);
  },
};
