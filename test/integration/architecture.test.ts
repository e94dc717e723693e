import { ESLint } from 'eslint';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function lint(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the electron boundary (CONVENTIONS.md)', () => {
  it('rejects importing electron outside src/main/electron and src/preload', async () => {
    for (const file of ['src/main/chat/x.ts', 'src/main/app-extra.ts', 'src/shared/x.ts', 'src/renderer/src/x.ts', 'src/cli/x.ts']) {
      const messages = await lint(file, "import { app } from 'electron';\nexport const a = app;\n");
      expect(messages.some((m) => m.startsWith('no-restricted-imports') && m.includes('electron may only be imported')), file).toBe(true);
    }
  });

  it('allows it in the two Electron rooms', async () => {
    for (const file of ['src/main/electron/x.ts', 'src/preload/x.ts']) {
      const messages = await lint(file, "import { app } from 'electron';\nexport const a = app;\n");
      expect(messages.filter((m) => m.startsWith('no-restricted-imports')), file).toEqual([]);
    }
  });

  it('keeps src/shared free of Node and the renderer free of main', async () => {
    expect((await lint('src/shared/y.ts', "import fs from 'node:fs';\nexport const f = fs;\n")).join()).toContain('no Node modules');
    expect((await lint('src/renderer/src/y.ts', "import { createApp } from '../../main/app';\nexport const c = createApp;\n")).join()).toContain('only through SwitchboardClient');
  });

  it('no file outside the two rooms imports electron today', () => {
    const out = execFileSync('git', ['grep', '-lE', `from ['"]electron['"]|require\\(['"]electron['"]\\)`, '--', 'src'], { cwd: root, encoding: 'utf8' });
    const offenders = out.split('\n').filter(Boolean).filter((f) => !/^src\/(main\/electron|preload)\//.test(f));
    expect(offenders).toEqual([]);
  });
});

/**
 * The layers of src/main, bottom to top (CONVENTIONS.md, "The bottom layer knows nothing above it";
 * issue #10): runner (the model-call core) → providers (adapters) → reliability → router, cache,
 * usage … → answer, council, tasks, chat, api → rpc → headless, electron. A folder is a "room"; a
 * top-level file (app.ts, logger.ts) is a room of its own. `electron` the package counts as the
 * electron room.
 */
const LAYER_RULES: Array<{ room: string; mayImport?: string[]; mustNotImport?: string[]; why: string }> = [
  { room: 'runner', mayImport: ['runner'], why: 'the model-call core imports no app code (src/shared only)' },
  {
    room: 'providers',
    mayImport: ['providers', 'runner', 'net', 'secrets', 'logger.ts'],
    why: 'provider adapters sit under the reliability layer and everything that calls models; what they need of Settings, prices and the reliability layer comes in by constructor',
  },
  {
    room: 'reliability',
    mayImport: ['reliability', 'runner', 'providers', 'logger.ts'],
    why: 'retries, breakers and timeouts know nothing of routing, of who asked, or of where calls are stored (the call log, prices and tiers come in by constructor: CallSink, pricing, tierOf)',
  },
  { room: 'api', mustNotImport: ['headless', 'electron', 'app.ts'], why: 'the /v1 endpoint is served by both transports, so it depends on neither' },
];

/** The room of a path under src/main (`providers` for a file in it or the folder itself, `app.ts`), or null outside src/main. */
function roomOf(target: string): string | null {
  const [first, ...rest] = path.relative(path.join(root, 'src/main'), target).split(path.sep);
  if (!first || first === '..') return null;
  if (rest.length > 0 || fs.existsSync(path.join(root, 'src/main', first))) return first;
  return `${first.replace(/\.tsx?$/, '')}.ts`;
}

/** Every static `import … from`, `export … from`, side-effect `import` and `import()` of a source text (TypeScript's own scanner: comments and strings do not count). */
function importSpecifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

interface LayerViolation {
  file: string;
  specifier: string;
  room: string;
  why: string;
}

/** The rule each import of `file` (absolute path, its text in `source`) breaks. */
function layerViolations(file: string, source: string): LayerViolation[] {
  const from = roomOf(file);
  const rule = LAYER_RULES.find((r) => r.room === from);
  if (!rule) return [];
  const out: LayerViolation[] = [];
  for (const specifier of importSpecifiers(source)) {
    const room = specifier === 'electron' || specifier.startsWith('electron/') ? 'electron' : specifier.startsWith('.') ? roomOf(path.resolve(path.dirname(file), specifier)) : null;
    if (room === null) continue; // a package, or src/shared: allowed everywhere here
    const broken = rule.mayImport ? !rule.mayImport.includes(room) : rule.mustNotImport!.includes(room);
    if (broken) out.push({ file: path.relative(root, file), specifier, room, why: rule.why });
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

describe('the layers of src/main (CONVENTIONS.md: the bottom layer knows nothing above it)', () => {
  it('reads import specifiers from the source, and flags one that runs back up', () => {
    const file = path.join(root, 'src/main/providers/openai/x.ts');
    const source = [
      "import type { A } from '../../runner/chat-provider';",
      "import { SwitchboardError } from '../../../shared/errors';",
      "import type { SettingsService } from '../../settings/settings-service';",
      "import {\n  ReliableChat,\n  type Clock,\n} from '../../reliability';",
      "export { route } from '../../router/policy';",
      "// import { x } from '../../chat';",
      "const s = \"from '../../tasks'\";",
      "const late = () => import('../../headless/server');",
    ].join('\n');
    expect(layerViolations(file, source).map((v) => `${v.specifier} (${v.room})`)).toEqual([
      '../../settings/settings-service (settings)',
      '../../reliability (reliability)',
      '../../router/policy (router)',
      '../../headless/server (headless)',
    ]);
    expect(layerViolations(path.join(root, 'src/main/runner/x.ts'), "import type { Db } from '../store';\nimport { z } from 'zod';").map((v) => v.room)).toEqual(['store']);
    expect(layerViolations(path.join(root, 'src/main/api/x.ts'), "import { isLoopbackHost } from '../headless/access-guard';").map((v) => v.room)).toEqual(['headless']);
    const reliability = [
      "import type { CallSink } from '../usage/call-recorder';",
      "import type { SettingsService } from '../settings/settings-service';",
      "import type { Db } from '../store';",
      "import { costOf, type ChatProvider } from '../runner';",
      "import { formatWait } from '../providers/http-errors';",
      "import type { Logger } from '../logger';",
    ].join('\n');
    expect(layerViolations(path.join(root, 'src/main/reliability/x.ts'), reliability).map((v) => v.room)).toEqual(['usage', 'settings', 'store']);
  });

  it('no file imports a layer above its own (issue #10 paid the last known debts)', () => {
    const found = sourceFiles(path.join(root, 'src/main')).flatMap((file) => layerViolations(file, fs.readFileSync(file, 'utf8')));
    expect(found.map((v) => `${v.file} imports ${v.specifier}: ${v.why}`)).toEqual([]);
  });
});
