import type { Migration } from '../migrations';

/**
 * Version 16: the coding workspace's edit → validate → retry loop (issue #12).
 * `coding_workspaces`: a workspace's permission to run its build/test/lint commands (given once per
 * workspace by the user) and its own validation commands. `coding_runs` and `coding_attempts`: each
 * run of a coding task and each attempt of it — the model, tier, the diff it proposed, the
 * validation results and the cost — for the live view and for later review.
 */
export const migration: Migration = {
  version: 16,
  name: 'coding: workspace command permissions, coding runs and their attempts',
  up(db) {
    db.exec(`
      CREATE TABLE coding_workspaces (
        root TEXT PRIMARY KEY,
        commands_allowed_at INTEGER,
        validation_json TEXT
      );
      CREATE TABLE coding_runs (
        id TEXT PRIMARY KEY,
        root TEXT NOT NULL,
        task TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running','passed','failed','cancelled')),
        created_at INTEGER NOT NULL,
        finished_at INTEGER,
        files_changed_json TEXT NOT NULL DEFAULT '[]',
        context_files_json TEXT NOT NULL DEFAULT '[]',
        total_cost_usd REAL
      );
      CREATE INDEX coding_runs_by_time ON coding_runs(created_at);
      CREATE TABLE coding_attempts (
        run_id TEXT NOT NULL REFERENCES coding_runs(id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        model TEXT NOT NULL,
        tier TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('passed','failed')),
        validation_json TEXT NOT NULL,
        diagnostics_json TEXT NOT NULL,
        diff TEXT NOT NULL,
        error TEXT,
        cost_usd REAL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, attempt)
      );
    `);
  },
};
