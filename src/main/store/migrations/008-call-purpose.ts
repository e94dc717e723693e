import type { Migration } from '../migrations';

/**
 * Version 8: what each model call was for (issue #10, `CallPurpose` in shared/contract), so the
 * dashboard can show cost per purpose. Calls recorded before it read `other`. No CHECK on the
 * values: a new purpose must not need a table rebuild, and every writer is typed by `CallPurpose`.
 * The index serves "calls, cost and tokens per purpose since T" from the index alone (the
 * dashboard's period is a range on `started_at`; the groups are few).
 */
export const migration: Migration = {
  version: 8,
  name: 'calls.purpose: what each model call was for',
  up(db) {
    db.exec(`
      ALTER TABLE calls ADD COLUMN purpose TEXT NOT NULL DEFAULT 'other';
      CREATE INDEX calls_by_time_purpose ON calls(started_at, purpose, cost_usd, input_tokens, output_tokens);
    `);
  },
};
