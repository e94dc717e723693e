import type { Db } from './database';

/** Key/value rows holding JSON. The typed view with defaults is `SettingsService`. */
export class SettingsRepo {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      all: db.prepare<[], { key: string; value_json: string }>('SELECT key, value_json FROM settings'),
      upsert: db.prepare(
        `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
      ),
      delete: db.prepare('DELETE FROM settings WHERE key = ?'),
    };
  }

  all(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const row of this.stmts.all.all()) out[row.key] = JSON.parse(row.value_json);
    return out;
  }

  set(key: string, value: unknown, now = Date.now()): void {
    if (value === undefined) this.stmts.delete.run(key);
    else this.stmts.upsert.run(key, JSON.stringify(value), now);
  }
}
