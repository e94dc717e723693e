import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Switchboard';

/**
 * Where Switchboard keeps its database: `SWITCHBOARD_DATA_DIR`, else the same folder Electron's
 * `app.getPath('userData')` gives for an app named "Switchboard", so the desktop app, the headless
 * server and the CLI share one database by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SWITCHBOARD_DATA_DIR) return path.resolve(env.SWITCHBOARD_DATA_DIR);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}
