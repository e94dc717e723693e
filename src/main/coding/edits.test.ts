import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyChanges, EditApplyError, prepareEdits } from './apply-edits';
import { EditParseError, parseEditBlocks } from './edit-blocks';
import { diffHunks, selectHunks, unifiedDiff } from './line-diff';

const block = (file: string, search: string, replace: string, fence = true): string =>
  `${file}\n${fence ? '```ts\n' : ''}<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n${fence ? '```\n' : ''}`;

describe('parseEditBlocks', () => {
  it('reads blocks inside and outside fences, several files, and reuses the last path', () => {
    const reply = `Here is the fix.\n\n${block('src/a.ts', 'const a = 1;\n', 'const a = 2;\n')}\nAnd:\n\n${block('src/b.ts', '', 'export {};\n', false)}<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n`;
    expect(parseEditBlocks(reply)).toEqual([
      { path: 'src/a.ts', search: 'const a = 1;\n', replace: 'const a = 2;\n' },
      { path: 'src/b.ts', search: '', replace: 'export {};\n' },
      { path: 'src/b.ts', search: 'x\n', replace: 'y\n' },
    ]);
  });

  it('takes the path from decorated lines and from the fence, and CRLF replies', () => {
    expect(parseEditBlocks('**`src/c.py`:**\n```python\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```')[0]?.path).toBe('src/c.py');
    expect(parseEditBlocks('```src/d.go\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```')[0]?.path).toBe('src/d.go');
    expect(parseEditBlocks('e.ts\r\n<<<<<<< SEARCH\r\na\r\n=======\r\nb\r\n>>>>>>> REPLACE\r\n')).toEqual([{ path: 'e.ts', search: 'a\n', replace: 'b\n' }]);
  });

  it('returns no blocks for a reply without any, and names what is missing in a broken block', () => {
    expect(parseEditBlocks('I think you should change line 3.')).toEqual([]);
    expect(() => parseEditBlocks('a.ts\n<<<<<<< SEARCH\nx\n>>>>>>> REPLACE\n')).toThrow(/no "=======" line/);
    expect(() => parseEditBlocks('a.ts\n<<<<<<< SEARCH\nx\n=======\ny\n')).toThrow(EditParseError);
    expect(() => parseEditBlocks('<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n')).toThrow(/no file path/);
  });
});

describe('prepareEdits and applyChanges', () => {
  let base: string;
  let root: string;
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(tmpdir(), 'sb-edits-'));
    root = path.join(base, 'ws');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src', 'a.ts'), 'export function f() {\n  return 1;\n}\n');
    fs.writeFileSync(path.join(root, 'src', 'twice.ts'), 'x();\nx();\n');
    fs.writeFileSync(path.join(root, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]));
    fs.writeFileSync(path.join(base, 'secret.txt'), 'secret');
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  const snapshot = (): Record<string, string> => {
    const out: Record<string, string> = {};
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          out[path.relative(base, p) + '/'] = '';
          walk(p);
        } else out[path.relative(base, p)] = fs.readFileSync(p).toString('base64');
      }
    };
    walk(base);
    return out;
  };

  it('applies exact and indentation-tolerant blocks, creates files, and undo restores every byte', () => {
    const before = snapshot();
    const changes = prepareEdits(root, [
      { path: 'src/a.ts', search: '  return 1;\n', replace: '  return 2;\n' },
      // The model lost the indentation: matched ignoring it, and the replacement is re-indented.
      { path: 'src/a.ts', search: 'return 2;\n', replace: 'const y = 2;\nreturn y;\n' },
      { path: 'src/new/deep/b.ts', search: '', replace: 'export const b = 1;\n' },
    ]);
    expect(changes.map((c) => c.path)).toEqual(['src/a.ts', 'src/new/deep/b.ts']);
    const applied = applyChanges(changes);
    expect(fs.readFileSync(path.join(root, 'src/a.ts'), 'utf8')).toBe('export function f() {\n  const y = 2;\n  return y;\n}\n');
    expect(fs.readFileSync(path.join(root, 'src/new/deep/b.ts'), 'utf8')).toBe('export const b = 1;\n');
    applied.undo();
    expect(snapshot()).toEqual(before);
  });

  it('never edits version-control internals (a .git/config could name a program git runs on status)', () => {
    const before = snapshot();
    for (const path of ['.git/config', '.git/hooks/pre-commit', 'sub/.GIT/config', 'vendor/.hg/hgrc']) {
      try {
        prepareEdits(root, [{ path, search: '', replace: '[core]\n\tfsmonitor = "sh -c touch /tmp/pwned"\n' }]);
        expect.unreachable(`prepareEdits should have refused ${path}`);
      } catch (error) {
        expect(error).toBeInstanceOf(EditApplyError);
        expect((error as EditApplyError).problems[0]?.message).toMatch(/version-control internals, never edited/);
      }
    }
    expect(snapshot()).toEqual(before);
  });

  it('refuses paths out of the workspace, binary files, no match and several matches, naming the file and SEARCH text, writing nothing', () => {
    const before = snapshot();
    try {
      prepareEdits(root, [
        { path: '../secret.txt', search: 'secret\n', replace: 'stolen\n' },
        { path: 'logo.png', search: 'PNG\n', replace: 'x\n' },
        { path: 'src/a.ts', search: 'return 42;\n', replace: 'return 0;\n' },
        { path: 'src/twice.ts', search: 'x();\n', replace: 'y();\n' },
        { path: 'src/missing.ts', search: 'a\n', replace: 'b\n' },
        { path: 'src/a.ts', search: '', replace: 'overwrite\n' },
      ]);
      expect.unreachable('prepareEdits should have refused');
    } catch (error) {
      expect(error).toBeInstanceOf(EditApplyError);
      const messages = (error as EditApplyError).problems.map((p) => p.message);
      expect(messages[0]).toMatch(/Refused \.\.\/secret\.txt: .*outside the workspace/);
      expect(messages[1]).toMatch(/logo\.png: it is a binary file/);
      expect(messages[2]).toMatch(/SEARCH block for src\/a\.ts matches nothing[\s\S]*return 42;/);
      expect(messages[3]).toMatch(/src\/twice\.ts matches 2 places/);
      expect(messages[4]).toMatch(/src\/missing\.ts does not exist/);
      expect(messages[5]).toMatch(/empty SEARCH.*src\/a\.ts already exists/);
    }
    expect(snapshot()).toEqual(before);
  });

  it('refuses files the user protects (uncommitted changes)', () => {
    expect(() => prepareEdits(root, [{ path: 'src/a.ts', search: 'return 1;\n', replace: 'return 3;\n' }], { protectedFiles: new Set(['src/a.ts']) })).toThrow(/uncommitted changes/);
  });

  it('keeps CRLF line endings and the file mode', () => {
    const file = path.join(root, 'win.ts');
    fs.writeFileSync(file, 'a\r\nb\r\n', { mode: 0o755 });
    applyChanges(prepareEdits(root, [{ path: 'win.ts', search: 'b\n', replace: 'c\n' }]));
    expect(fs.readFileSync(file, 'utf8')).toBe('a\r\nc\r\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o755);
  });
});

describe('line diff', () => {
  const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
  const after = before.replace('line 2\n', 'line two\n').replace('line 18\n', 'line 18\nline 18b\n');

  it('makes unified hunks with three lines of context', () => {
    const hunks = diffHunks(before, after);
    expect(hunks).toHaveLength(2);
    expect(hunks[0]).toMatchObject({ oldStart: 1, oldLines: 5, newStart: 1, newLines: 5 });
    expect(hunks[0]?.lines).toEqual([' line 1', '-line 2', '+line two', ' line 3', ' line 4', ' line 5']);
    expect(hunks[1]).toMatchObject({ oldStart: 16, oldLines: 5, newStart: 16, newLines: 6 });
    expect(unifiedDiff('f.txt', before, after)).toContain('@@ -16,5 +16,6 @@\n line 16\n line 17\n line 18\n+line 18b\n');
    expect(unifiedDiff('new.txt', null, 'a\n')).toBe('--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,1 @@\n+a\n');
  });

  it('applies only the accepted hunks', () => {
    expect(selectHunks(before, after, [true, true])).toBe(after);
    expect(selectHunks(before, after, [false, false])).toBe(before);
    // Only the final newline differs: no line hunk, and accepting keeps the edit.
    expect(diffHunks('a\nb', 'a\nb\n')).toHaveLength(0);
    expect(selectHunks('a\nb', 'a\nb\n', [])).toBe('a\nb\n');
    expect(selectHunks(before, after, [false, true])).toBe(before.replace('line 18\n', 'line 18\nline 18b\n'));
    expect(selectHunks(before, after, [true, false])).toBe(before.replace('line 2\n', 'line two\n'));
  });
});
