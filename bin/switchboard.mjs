#!/usr/bin/env node
// `switchboard <command>` (`npx switchboard …`, a global install, `npm run cli`): runs the built CLI,
// out/node/cli.mjs. In a checkout whose sources changed since the last build it rebuilds first
// (scripts/build-node.mjs); an install without the sources or the build tools runs what is built.
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// V8's code cache for the bundle where Node has it (22.1+; kept in the OS temp dir): compiling the
// bundle was a quarter of a command's start-up in a CPU profile.
module.enableCompileCache?.();

const root = path.resolve(import.meta.dirname, '..');
const builder = path.join(root, 'scripts/build-node.mjs');
const built = path.join(root, 'out/node/cli.mjs');
if (fs.existsSync(path.join(root, 'src/cli')) && fs.existsSync(builder)) {
  try {
    const { buildIfStale } = await import(pathToFileURL(builder).href);
    await buildIfStale({ log: true });
  } catch (error) {
    // Without esbuild (installed without dev dependencies) an existing build still runs.
    if (!fs.existsSync(built)) throw error;
    process.stderr.write(`switchboard: could not rebuild from the sources (${error instanceof Error ? error.message : String(error)}); running the last build.\n`);
  }
}
await import(pathToFileURL(built).href);
