import type { Migration } from '../migrations';

/**
 * Version 10: Ollama pulls in progress (issue #13, "pulls survive restarts"). A row is written when a
 * pull starts and removed when it completes, fails or is cancelled; a quit or a crash leaves it, and
 * the next start resumes the pull (Ollama keeps the partial blobs, so it carries on from the bytes
 * already downloaded). The bytes are kept for the Models page until the resumed pull reports again.
 */
export const migration: Migration = {
  version: 10,
  name: 'model_pulls: pulls in progress, resumed at start',
  up(db) {
    db.exec(`
      CREATE TABLE model_pulls (
        id TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        completed_bytes INTEGER NOT NULL DEFAULT 0,
        total_bytes INTEGER NOT NULL DEFAULT 0
      );
    `);
  },
};
