import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /**
   * Path to a better_sqlite3.node built for the running runtime. Electron passes the copy that
   * `scripts/electron-natives.mjs` rebuilt for its ABI; plain Node uses the package's own build.
   */
  nativeBinding?: string;
  migrations?: readonly Migration[];
}

/** Opens (creating if needed) the database file in WAL mode and brings its schema up to date. */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across app crashes in WAL mode (only an OS crash can lose the last commits).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Memory-mapped reads: the semantic cache scans up to 100k vectors per lookup, and mapping the
  // file made that about 15% faster in bench/cache.ts. Address space only; the OS pages on demand.
  if (file !== ':memory:') db.pragma('mmap_size = 268435456');
  migrate(db, options.migrations ?? MIGRATIONS);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Runs each migration above the stored `user_version` in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[]): void {
  const current = schemaVersion(db);
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new Error(
      `The database schema (version ${current}) is newer than this version of Switchboard understands (${latest}). ` +
        'Update Switchboard, or point it at another data directory.',
    );
  }
  const pending = [...migrations].filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  for (const migration of pending) {
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
