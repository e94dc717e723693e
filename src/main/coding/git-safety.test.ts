import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readGit } from '../workspace/git-repo';
import { readGitState } from './git-state';

/** A repository's own config names a program for `core.fsmonitor`: Switchboard's git reads never run it. */
describe("git reads do not run a repository's fsmonitor", () => {
  let root: string;
  let marker: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'sb-git-safe-'));
    marker = path.join(root, '..', `${path.basename(root)}-ran`);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: root });
    git('init', '-q');
    writeFileSync(path.join(root, 'a.txt'), 'a\n');
    git('add', '.');
    git('commit', '-q', '-m', 'a');
    writeFileSync(path.join(root, 'a.txt'), 'changed\n');
    // The hook git would run on `status` if fsmonitor were honoured.
    git('config', 'core.fsmonitor', `touch ${marker}; false`);
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(marker, { force: true });
  });

  it('the coding loop and the workspace index both read status without running it', async () => {
    // Proof the repository is armed: a plain `git status` runs the configured program.
    execFileSync('git', ['status', '--porcelain'], { cwd: root });
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);

    expect((await readGitState(root)).dirty.has('a.txt')).toBe(true);
    expect((await readGit(root, { status: true })).dirty).toContain('a.txt');
    expect(existsSync(marker)).toBe(false);
  });
});
