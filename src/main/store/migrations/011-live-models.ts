import type { Migration } from '../migrations';

/**
 * Version 11 (issue #15): the model lists providers serve, read live from their APIs, with the time
 * of each read, so the pickers know new models and drop retired ones between catalog releases; and
 * `calls.cost_unknown`, set when a paid model with no known price was called (its `cost_usd` is
 * then 0 only because nobody knows the price, which the dashboard must not read as "free").
 */
export const migration: Migration = {
  version: 11,
  name: 'live model lists; calls.cost_unknown',
  up(db) {
    db.exec(`
      CREATE TABLE live_model_lists (
        provider TEXT PRIMARY KEY,
        listed_at INTEGER NOT NULL
      );
      CREATE TABLE live_models (
        provider TEXT NOT NULL REFERENCES live_model_lists(provider) ON DELETE CASCADE,
        model_id TEXT NOT NULL,
        name TEXT NOT NULL,
        context_window INTEGER,
        input_price REAL,
        output_price REAL,
        PRIMARY KEY (provider, model_id)
      );
      ALTER TABLE calls ADD COLUMN cost_unknown INTEGER NOT NULL DEFAULT 0;
    `);
  },
};
