import type { Migration } from '../migrations';

/**
 * Version 7: the response cache in conversations (issue #6).
 * - messages.cache_json: how a reply served from the cache matched (`{ kind, similarity, savedUsd }`);
 *   NULL for replies a model wrote. A column, not a join: it is read with every message.
 * - conversations.cache_opt_out: 1 when the conversation neither uses nor fills the cache.
 */
export const migration: Migration = {
  version: 7,
  name: 'cached replies and per-conversation cache opt-out',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN cache_json TEXT;
      ALTER TABLE conversations ADD COLUMN cache_opt_out INTEGER NOT NULL DEFAULT 0;
    `);
  },
};
