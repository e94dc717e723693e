import type { Migration } from '../migrations';

/**
 * Version 6: council runs (issue #7) and task graphs.
 * - council_runs / council_responses: one row per run, one per model call (stage 1 answers, peer
 *   reviews, the synthesis), for the run record and the llm-performance export (seed 000).
 * - task_graphs / tasks: a plan and its execution state, so a graph interrupted by a restart can
 *   resume (tasks left `running` go back to `pending`).
 * Conversations are optional links: deleting one keeps the runs (spend and latency history).
 */
export const migration: Migration = {
  version: 6,
  name: 'council runs and task graphs',
  up(db) {
    db.exec(`
      CREATE TABLE council_runs (
        id TEXT PRIMARY KEY,
        conversation_id TEXT REFERENCES conversations(id) ON DELETE SET NULL,
        question TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('synthesis','consensus')),
        pool TEXT NOT NULL CHECK (pool IN ('quick','balanced','high','reasoning')),
        status TEXT NOT NULL CHECK (status IN ('completed','failed','cancelled')),
        models_json TEXT NOT NULL,
        min_responses INTEGER NOT NULL,
        per_model_timeout_ms INTEGER NOT NULL,
        chairman TEXT,
        answer TEXT NOT NULL DEFAULT '',
        review_json TEXT,
        verdict_json TEXT,
        notes_json TEXT NOT NULL DEFAULT '[]',
        error_json TEXT,
        started_at INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        wall_ms INTEGER NOT NULL,
        generation_ms INTEGER NOT NULL,
        total_cost_usd REAL
      );
      CREATE INDEX council_runs_by_start ON council_runs(started_at);
      CREATE TABLE council_responses (
        run_id TEXT NOT NULL REFERENCES council_runs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        stage TEXT NOT NULL CHECK (stage IN ('generation','review','synthesis')),
        model TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('answered','cut-off','failed','timeout','cancelled','ranked','dropped')),
        text TEXT NOT NULL DEFAULT '',
        started_at INTEGER,
        latency_ms INTEGER NOT NULL,
        first_token_ms INTEGER,
        input_tokens INTEGER,
        output_tokens INTEGER,
        usage_estimated INTEGER,
        cost_usd REAL,
        attempts INTEGER NOT NULL DEFAULT 1,
        detail_json TEXT,
        error_json TEXT,
        PRIMARY KEY (run_id, seq)
      );
      CREATE INDEX council_responses_by_model ON council_responses(model, stage);

      CREATE TABLE task_graphs (
        id TEXT PRIMARY KEY,
        conversation_id TEXT REFERENCES conversations(id) ON DELETE SET NULL,
        request TEXT NOT NULL,
        goal TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending','running','done','failed','cancelled')),
        planner_model TEXT,
        planning_cost_usd REAL,
        synthesis_model TEXT NOT NULL,
        answer TEXT,
        synthesis_ms INTEGER,
        synthesis_cost_usd REAL,
        error_json TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        finished_at INTEGER,
        wall_ms INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX task_graphs_by_status ON task_graphs(status);
      CREATE TABLE tasks (
        graph_id TEXT NOT NULL REFERENCES task_graphs(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        title TEXT NOT NULL,
        instructions TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('code','analysis','docs','test','research','other')),
        complexity TEXT NOT NULL CHECK (complexity IN ('trivial','simple','medium','complex')),
        depends_on_json TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending','running','done','failed','blocked','cancelled')),
        model TEXT,
        model_override TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        output TEXT,
        error_json TEXT,
        started_at INTEGER,
        finished_at INTEGER,
        duration_ms INTEGER,
        input_tokens INTEGER,
        output_tokens INTEGER,
        cost_usd REAL,
        PRIMARY KEY (graph_id, id)
      );
    `);
  },
};
