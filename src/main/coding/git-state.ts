import { execFile } from 'node:child_process';

export interface GitState {
  isRepo: boolean;
  branch: string | null;
  /** Workspace-relative paths with uncommitted changes (modified, staged, untracked). */
  dirty: Set<string>;
}

/**
 * A repository's own config must not run programs when Switchboard reads it: `core.fsmonitor` names a
 * command git runs on `status` (and hooks run on other commands). Switchboard's git calls turn both off.
 */
export const GIT_SAFE_CONFIG = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null'] as const;

function git(root: string, args: string[]): Promise<{ ok: boolean; stdout: string }> {
  return new Promise((resolve) => {
    execFile('git', [...GIT_SAFE_CONFIG, ...args], { cwd: root, maxBuffer: 16 * 1024 * 1024, timeout: 15_000 }, (error, stdout) => resolve({ ok: !error, stdout }));
  });
}

/**
 * What the loop needs to know of git before it edits (issue #12): is this a repository, and which
 * files hold the user's uncommitted work. (The workspace view's fuller git info is the workspace
 * capability's.) A folder that is not a repository, or a machine without git, is `isRepo: false`.
 */
export async function readGitState(root: string): Promise<GitState> {
  const top = await git(root, ['rev-parse', '--show-toplevel']);
  if (!top.ok) return { isRepo: false, branch: null, dirty: new Set() };
  const [status, branch] = await Promise.all([
    // -z: paths verbatim (no quoting), NUL-separated; relative to the workspace with --no-relative off.
    git(root, ['-c', 'core.quotepath=off', 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.']),
    git(root, ['rev-parse', '--abbrev-ref', 'HEAD']),
  ]);
  const prefix = (await git(root, ['rev-parse', '--show-prefix'])).stdout.trim();
  const dirty = new Set<string>();
  const entries = status.stdout.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? '';
    if (entry.length < 4) continue;
    const code = entry.slice(0, 2);
    let file = entry.slice(3);
    if (code.startsWith('R') || code.startsWith('C')) i++; // the next entry is the rename's source
    if (prefix && file.startsWith(prefix)) file = file.slice(prefix.length);
    dirty.add(file);
  }
  return { isRepo: true, branch: branch.ok ? branch.stdout.trim() : null, dirty };
}
