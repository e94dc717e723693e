import type { Db } from '../store';

/** A pull that was running when the app last stopped. */
export interface StoredPull {
  id: string;
  model: string;
  startedAt: number;
  completedBytes: number;
  totalBytes: number;
}

/** The `model_pulls` table (migration 10): pulls in progress, so a restart resumes them. */
export class PullStore {
  constructor(private readonly db: Db) {}

  save(pull: StoredPull & { updatedAt: number }): void {
    this.db
      .prepare(
        `INSERT INTO model_pulls (id, model, started_at, updated_at, completed_bytes, total_bytes) VALUES (@id, @model, @startedAt, @updatedAt, @completedBytes, @totalBytes)
         ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, completed_bytes = excluded.completed_bytes, total_bytes = excluded.total_bytes`,
      )
      .run(pull);
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM model_pulls WHERE id = ?').run(id);
  }

  list(): StoredPull[] {
    const rows = this.db.prepare('SELECT id, model, started_at, completed_bytes, total_bytes FROM model_pulls ORDER BY started_at').all() as Array<{
      id: string;
      model: string;
      started_at: number;
      completed_bytes: number;
      total_bytes: number;
    }>;
    return rows.map((r) => ({ id: r.id, model: r.model, startedAt: r.started_at, completedBytes: r.completed_bytes, totalBytes: r.total_bytes }));
  }
}
