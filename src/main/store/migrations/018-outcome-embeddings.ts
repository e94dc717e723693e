import type { Migration } from '../migrations';

/**
 * Version 18: route_outcomes keep the request's embedding when an embedding model is installed
 * (issue #11, item 3): a later request in other words, with the same meaning, starts on the tier that
 * worked. The vector (unit-length float32) comes from the local embedding model, with that model's
 * name: vectors of different models are never compared. Still no request text is stored.
 */
export const migration: Migration = {
  version: 18,
  name: 'route_outcomes: request embeddings',
  up(db) {
    db.exec(`
      ALTER TABLE route_outcomes ADD COLUMN embedding BLOB;
      ALTER TABLE route_outcomes ADD COLUMN embedding_model TEXT;
    `);
  },
};
