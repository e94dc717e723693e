import { ESLint } from 'eslint';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
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
