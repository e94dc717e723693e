/**
 * The CLI's process entry: `switchboard <command>` (package.json `bin`, bin/switchboard.mjs runs the
 * build of this file, out/node/cli.mjs) and `npm run --silent cli -- <command>`. `runCli` in
 * index.ts is the CLI itself, which tests call in-process.
 */
import { z } from 'zod';
import type { App } from '../main/app';

// A CLI run parses each schema once or twice, so zod's JIT (a fast path compiled per object schema
// with new Function) costs more than it saves: interpret instead (issue #17). zod reads the setting
// when a schema is made, so the app's modules load after it, below.
z.config({ jitless: true });
const [{ installAppFetchGuard }, { runCli }] = await Promise.all([import('../main/net'), import('./index')]);

const controller = new AbortController();
process.on('SIGINT', () => controller.abort());
// The backstop for code that calls the global fetch directly (offline mode; src/main/net), installed
// before any command runs: a guard installed on the first fetch left a window where a second,
// concurrent global fetch went out unguarded (found in review).
let current: App | null = null;
await installAppFetchGuard(() => current?.services.network ?? null).catch((error: unknown) =>
  process.stderr.write(`switchboard: the global fetch guard could not be installed (${String(error)}); the guarded fetch still applies.\n`),
);
void runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }, controller.signal, { onApp: (a) => (current = a) }).then((code) => {
  process.exitCode = code;
});
