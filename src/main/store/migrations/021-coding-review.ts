import type { Migration } from '../migrations';

/**
 * Version 21: a coding run's review and undo survive a restart (issue #12 follow-up). Migration 016
 * kept each attempt's diff, but the edit left in the working tree — the bytes each file had before
 * it, what the run last wrote there, and the user's accept/reject of each hunk — lived in memory, so
 * after a restart "Undo edits" was gone. `coding_run_files` keeps that per file of a passing run;
 * `coding_runs` gains the run's warnings, the folders it created (removed again on undo) and when it
 * was undone. `coding_workspaces` gains the workspace's own retry count and step timeouts
 * (Settings → Workspace; null: the seed's defaults).
 */
export const migration: Migration = {
  version: 21,
  name: 'coding: persisted review and undo state, per-workspace retries and timeouts',
  up(db) {
    db.exec(`
      ALTER TABLE coding_runs ADD COLUMN warnings_json TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE coding_runs ADD COLUMN created_dirs_json TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE coding_runs ADD COLUMN undone_at INTEGER;
      CREATE TABLE coding_run_files (
        run_id TEXT NOT NULL REFERENCES coding_runs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        path TEXT NOT NULL,
        before BLOB,
        mode INTEGER,
        after TEXT NOT NULL,
        current TEXT,
        decisions_json TEXT NOT NULL,
        PRIMARY KEY (run_id, path)
      );
      ALTER TABLE coding_workspaces ADD COLUMN max_retries INTEGER;
      ALTER TABLE coding_workspaces ADD COLUMN timeouts_json TEXT;
    `);
  },
};
