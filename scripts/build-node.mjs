// Builds the CLI and headless mode for plain Node (issue #17): one ESM bundle each in out/node, so
// they start from built JavaScript instead of transpiling TypeScript with tsx at every start.
// Native modules (better-sqlite3, keytar, sqlite-vec) stay external: they load their own .node
// files. `--if-stale` builds only when a source is newer than the last build (the bin launcher
// and `npm run headless` call it; a fresh clone builds on `npm ci` through `prepare`).
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
export const OUT_DIR = path.join(root, 'out/node');
const STAMP = path.join(OUT_DIR, 'build-stamp.json');
const ENTRIES = { cli: 'src/cli/main.ts', headless: 'src/main/headless/cli.ts' };
/** What the bundles are made of; a change to any of them makes the build stale. */
const INPUTS = ['src/main', 'src/cli', 'src/shared', 'package.json', 'scripts/build-node.mjs'];
// web-tree-sitter loads its own .wasm beside its module file (issue #12), so it stays in node_modules too.
const EXTERNAL = ['better-sqlite3', 'keytar', 'sqlite-vec', 'electron', 'web-tree-sitter'];

function newest(p) {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) latest = Math.max(latest, newest(path.join(p, entry)));
  return latest;
}

export function isStale() {
  const stamp = fs.existsSync(STAMP) ? JSON.parse(fs.readFileSync(STAMP, 'utf8')) : null;
  if (!stamp || Object.keys(ENTRIES).some((name) => !fs.existsSync(path.join(OUT_DIR, `${name}.mjs`)))) return true;
  return INPUTS.some((input) => newest(path.join(root, input)) > stamp.sourcesMs);
}

const LOCK = path.join(root, 'out/node.lock');

/**
 * One build at a time: two CLIs started together (parallel tests, a script) must not write the same
 * files at once. The lock is a directory (mkdir is atomic); one older than a minute is a crash's.
 */
async function locked(fn) {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 60_000) fs.rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Builds when stale (or always with `force`), waiting for a build already under way. */
export async function buildIfStale({ force = false, log = false } = {}) {
  if (!force && !isStale()) return false;
  return locked(async () => {
    if (!force && !isStale()) return false; // another process built it while we waited
    if (log) process.stderr.write('Building Switchboard for Node (out/node)…\n');
    await build();
    return true;
  });
}

/**
 * zod's classic and core entries re-export every locale (`z.locales`, ~270 KB of the start-up chunk, 57 % of
 * zod's part of it) though only English, its default, is ever used here: the re-export gets English
 * alone, so every CLI command and the headless server parse and compile less at start (issue #17).
 * `z.locales.en` still works; another locale would be undefined — nothing in src uses one.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer) ? { path: path.join(path.dirname(args.importer), '../locales/en-only.js'), namespace: 'zod-en' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};`,
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

async function build() {
  const sourcesMs = Math.max(...INPUTS.map((input) => newest(path.join(root, input))));
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(root, file)])),
    outdir: OUT_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    sourcemap: 'linked',
    // Less to parse at every start (issue #17), and the linked source maps lead back to the sources
    // (node --enable-source-maps). Identifiers are not minified: names stay as written for errors,
    // logs and code that reads them (the OpenAI SDK's User-Agent is `${this.constructor.name}/JS`),
    // without esbuild's keepNames, which wraps every function and class in an Object.defineProperty
    // call each time one is created — ~2 % of the server's CPU per /v1 request in a profile, and
    // more CPU per CLI start than the longer names cost to parse (measured under load).
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [zodEnglishOnly],
    // CommonJS dependencies bundled into ESM still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __sbCreateRequire } from 'node:module'; const require = __sbCreateRequire(import.meta.url);" },
  });
  fs.writeFileSync(STAMP, JSON.stringify({ sourcesMs, builtAt: new Date().toISOString() }) + '\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ifStale = process.argv.includes('--if-stale');
  await buildIfStale({ force: !ifStale, log: ifStale });
}
