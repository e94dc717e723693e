import fs from 'node:fs';
import path from 'node:path';

/**
 * Native modules rebuilt for Electron's ABI by scripts/electron-natives.mjs live in
 * .electron-native/<electron version>/, so node_modules keeps the Node builds that `npm test`,
 * the CLI and headless mode load. Both work from the same checkout.
 */
export function electronNativeBindings(appRoot: string, electronVersion: string): { betterSqlite3?: string; keytar?: string } {
  const dir = path.join(appRoot, '.electron-native', electronVersion);
  const sqlite = path.join(dir, 'better_sqlite3.node');
  const keytar = path.join(dir, 'keytar.node');
  return {
    betterSqlite3: fs.existsSync(sqlite) ? sqlite : undefined,
    keytar: fs.existsSync(keytar) ? keytar : undefined,
  };
}
