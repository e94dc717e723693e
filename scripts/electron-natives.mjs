// `npm start` runs this first. It builds better-sqlite3 and keytar for Electron's ABI into
// .electron-native/<electron version>/, leaving node_modules with the builds for plain Node that
// `npm test`, the CLI and headless mode load. The Electron main process loads the copies from there
// (src/main/electron/natives.ts). Needs the network once (Electron's headers) and a C++ toolchain.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const readJson = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));
const electronVersion = readJson(path.join(root, 'node_modules/electron/package.json')).version;
const outDir = path.join(root, '.electron-native', electronVersion);
const targets = [
  { module: 'better-sqlite3', file: 'better_sqlite3.node' },
  { module: 'keytar', file: 'keytar.node' },
];

if (targets.every((t) => fs.existsSync(path.join(outDir, t.file)))) process.exit(0);

process.stderr.write(`Building native modules for Electron ${electronVersion} (once per Electron version)…\n`);
const staging = path.join(root, '.electron-native', `build-${electronVersion}`);
fs.rmSync(staging, { recursive: true, force: true });
fs.mkdirSync(path.join(staging, 'node_modules'), { recursive: true });
const dependencies = {};
// keytar's binding.gyp asks node-addon-api for its headers at build time.
for (const name of ['better-sqlite3', 'keytar', 'node-addon-api']) {
  const src = path.join(root, 'node_modules', name);
  dependencies[name] = readJson(path.join(src, 'package.json')).version;
  fs.cpSync(src, path.join(staging, 'node_modules', name), {
    recursive: true,
    dereference: true,
    // Leave the Node build behind so nothing mistakes it for the Electron one.
    filter: (p) => !p.includes(`${path.sep}build${path.sep}`) && !p.endsWith(`${path.sep}build`),
  });
}
fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ name: 'switchboard-electron-natives', private: true, dependencies }, null, 2));

try {
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({ buildPath: staging, electronVersion, onlyModules: ['better-sqlite3', 'keytar'], force: true, mode: 'sequential' });
} catch (error) {
  process.stderr.write(
    `\nCould not build native modules for Electron ${electronVersion}: ${error instanceof Error ? error.message : error}\n` +
      'You need a C++ toolchain (build-essential / Xcode command line tools / Visual Studio Build Tools),\n' +
      'Python 3, libsecret-1-dev on Linux, and network access to download Electron headers once.\n' +
      'Headless mode does not need this: npm run headless\n',
  );
  process.exit(1);
}

fs.mkdirSync(outDir, { recursive: true });
for (const t of targets) {
  fs.copyFileSync(path.join(staging, 'node_modules', t.module, 'build', 'Release', t.file), path.join(outDir, t.file));
}
fs.rmSync(staging, { recursive: true, force: true });
process.stderr.write(`Native modules for Electron are in ${path.relative(root, outDir)}/\n`);
