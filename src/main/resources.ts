import fs from 'node:fs';
import path from 'node:path';

/**
 * A file under the app's `resources/` folder. The source tree runs from src/main/… and the Electron
 * build from out/main, so walk up from here until the file is found.
 */
export function findResource(relative: string, from = import.meta.dirname): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, relative);
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`Switchboard's ${relative} is missing (looked upwards from ${from}). Reinstall or restore the file.`);
}
