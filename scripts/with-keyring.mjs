// Runs a command with a real Secret Service: inside `dbus-run-session` with an unlocked
// gnome-keyring, so keychain tests use the same code path as a Linux desktop. If a session bus is
// already there (a developer's desktop), the command runs as is.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
if (args.length === 0) {
  process.stderr.write('usage: node scripts/with-keyring.mjs <command> [args…]\n');
  process.exit(2);
}
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const cmd = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
const bin = 'PATH="$PWD/node_modules/.bin:$PATH"';

let result;
if (process.platform !== 'linux' || (process.env.DBUS_SESSION_BUS_ADDRESS && process.env.SWITCHBOARD_USE_SESSION_KEYRING === '1')) {
  result = spawnSync('sh', ['-c', `${bin} ${cmd}`], { stdio: 'inherit' });
} else {
  if (!has('dbus-run-session') || !has('gnome-keyring-daemon')) {
    process.stderr.write(
      'The keychain tests need a Secret Service: install the Debian packages dbus and gnome-keyring\n' +
        '(apt-get install -y dbus gnome-keyring), or set SWITCHBOARD_USE_SESSION_KEYRING=1 to use your desktop session\'s keyring.\n',
    );
    process.exit(1);
  }
  // The daemon reads the login password on stdin and creates and unlocks a throwaway login keyring.
  // A throwaway keyring folder: the run never touches (or depends on) the user's own keyrings.
  const keyringHome = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-keyring-'));
  const inner =
    `XDG_DATA_HOME='${keyringHome}' sh -c "printf '%s' switchboard-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1"; ` +
    `export SWITCHBOARD_KEYRING=real; ${bin} ${cmd}`;
  result = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner], { stdio: 'inherit', env: process.env });
  fs.rmSync(keyringHome, { recursive: true, force: true });
}
process.exit(result.status ?? 1);
