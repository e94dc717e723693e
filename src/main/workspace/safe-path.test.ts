import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PathEscapeError, resolveInWorkspace, toWorkspaceRelative } from './safe-path';

describe('resolveInWorkspace', () => {
  let base: string;
  let root: string;
  beforeEach(() => {
    base = mkdtempSync(path.join(tmpdir(), 'sb-safe-'));
    root = path.join(base, 'ws');
    mkdirSync(path.join(root, 'src'), { recursive: true });
    writeFileSync(path.join(root, 'src', 'a.ts'), 'x');
    mkdirSync(path.join(base, 'outside'));
    writeFileSync(path.join(base, 'outside', 'secret.txt'), 's');
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('resolves existing and new files inside the workspace', () => {
    expect(toWorkspaceRelative(root, resolveInWorkspace(root, 'src/a.ts'))).toBe('src/a.ts');
    expect(toWorkspaceRelative(root, resolveInWorkspace(root, './src/new/b.ts'))).toBe('src/new/b.ts');
    expect(toWorkspaceRelative(root, resolveInWorkspace(root, 'src/../src/a.ts'))).toBe('src/a.ts');
  });

  it('refuses .., absolute paths, NUL bytes and empty paths', () => {
    for (const bad of ['../outside/secret.txt', 'src/../../outside/x', '/etc/passwd', 'C:\\x', 'a\0b', '  ']) {
      expect(() => resolveInWorkspace(root, bad)).toThrow(PathEscapeError);
    }
  });

  it('refuses a symlinked file or directory that leads out, even for a file not yet created', () => {
    symlinkSync(path.join(base, 'outside', 'secret.txt'), path.join(root, 'link.txt'));
    symlinkSync(path.join(base, 'outside'), path.join(root, 'linkdir'));
    expect(() => resolveInWorkspace(root, 'link.txt')).toThrow(/symlink leads out/);
    expect(() => resolveInWorkspace(root, 'linkdir/new.txt')).toThrow(/symlink leads out/);
  });

  it('allows a symlink that stays inside', () => {
    symlinkSync(path.join(root, 'src'), path.join(root, 'alias'));
    expect(toWorkspaceRelative(root, resolveInWorkspace(root, 'alias/a.ts'))).toBe('src/a.ts');
  });
});
