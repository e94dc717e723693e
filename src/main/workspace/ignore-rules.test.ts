import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isIgnored, parseIgnoreFile, walkFiles } from './ignore-rules';

const scope = (text: string, base = '') => [{ base, rules: parseIgnoreFile(text) }];

describe('.gitignore matching (folders that are not git repositories)', () => {
  it('globs, anchoring, folder-only rules and negation', () => {
    const rules = scope('# comment\n*.log\n!keep.log\n/root-only.txt\nbuild/\ndocs/**/*.tmp\n');
    expect(isIgnored(rules, 'a/b/debug.log', false)).toBe(true);
    expect(isIgnored(rules, 'keep.log', false)).toBe(false);
    expect(isIgnored(rules, 'root-only.txt', false)).toBe(true);
    expect(isIgnored(rules, 'sub/root-only.txt', false)).toBe(false);
    expect(isIgnored(rules, 'build', true)).toBe(true);
    expect(isIgnored(rules, 'build', false)).toBe(false); // a file named build is not the folder
    expect(isIgnored(rules, 'src/build/x.js', false)).toBe(true);
    expect(isIgnored(rules, 'docs/a/b/c.tmp', false)).toBe(true);
    expect(isIgnored(rules, 'docs/c.tmp', false)).toBe(true);
    expect(isIgnored(rules, 'src/main.ts', false)).toBe(false);
  });

  it("a nested .gitignore applies below its own folder only", () => {
    const rules = [...scope('*.gen.ts\n', 'pkg')];
    expect(isIgnored(rules, 'pkg/x.gen.ts', false)).toBe(true);
    expect(isIgnored(rules, 'other/x.gen.ts', false)).toBe(false);
  });

  let dir: string | null = null;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('walks a folder: default ignores, nested .gitignore, no symlinked folders followed, a file limit', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-walk-'));
    const write = (rel: string) => {
      mkdirSync(path.dirname(path.join(dir!, rel)), { recursive: true });
      writeFileSync(path.join(dir!, rel), 'x');
    };
    ['src/a.ts', 'src/b.ts', 'node_modules/x/i.js', 'dist/out.js', 'pkg/keep.ts', 'pkg/skip.gen.ts', '.git/HEAD'].forEach(write);
    writeFileSync(path.join(dir, 'pkg', '.gitignore'), '*.gen.ts\n');
    symlinkSync(path.join(dir, 'src'), path.join(dir, 'alias'));
    expect(walkFiles(dir, 100)).toEqual({ files: ['pkg/.gitignore', 'pkg/keep.ts', 'src/a.ts', 'src/b.ts'], truncated: false });
    expect(walkFiles(dir, 2)).toEqual({ files: ['pkg/.gitignore', 'pkg/keep.ts'], truncated: true });
  });
});
