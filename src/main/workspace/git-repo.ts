import { execFile } from 'node:child_process';
import type { WorkspaceGit } from '../../shared/contract';

/** A git command that hangs (a credential prompt, a huge repo on a slow disk) must not hold the app. */
const GIT_TIMEOUT_MS = 15_000;
/** `ls-files` of a very large repository; beyond this the listing is refused rather than buffered. */
const GIT_MAX_BUFFER = 64 * 1024 * 1024;
const MAX_DIRTY = 200;

class GitFailed extends Error {
  constructor(readonly missing: boolean, message: string) {
    super(message);
  }
}

function git(root: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      // core.fsmonitor would run a program the repository's config names: never when Switchboard reads it.
      ['-c', 'core.quotePath=false', '-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', ...args],
      // GIT_OPTIONAL_LOCKS=0: `status` must not take the index lock an editor's git may hold.
      { cwd: root, timeout: GIT_TIMEOUT_MS, maxBuffer: GIT_MAX_BUFFER, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' } },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return reject(new GitFailed(true, 'git is not installed'));
        if (error.killed) return reject(new GitFailed(false, `git ${args[0]} took longer than ${GIT_TIMEOUT_MS / 1000} s`));
        reject(new GitFailed(false, (stderr || error.message).trim().split('\n')[0] ?? 'git failed'));
      },
    );
  });
}

/**
 * With `status: false` only the file list is read (before each context selection); branch and dirty
 * files are left empty for the caller to keep from the last full read.
 */
export interface GitSnapshot extends WorkspaceGit {
  /** Tracked and untracked-but-not-ignored files (`--exclude-standard`), workspace-relative; null when not a repo. */
  files: string[] | null;
}

/**
 * What git says about a folder: its branch, the files with uncommitted changes, and the files it
 * would list (tracked plus untracked, minus .gitignore'd). A folder that is not a repository, or a
 * machine without git, is not an error: `isRepo` is false and `note` says why.
 */
export async function readGit(root: string, options: { status?: boolean } = {}): Promise<GitSnapshot> {
  let prefix: string;
  try {
    const inside = (await git(root, ['rev-parse', '--is-inside-work-tree'])).trim();
    if (inside !== 'true') return notRepo('not a git working tree');
    prefix = (await git(root, ['rev-parse', '--show-prefix'])).trim();
  } catch (error) {
    const failed = error as GitFailed;
    return notRepo(failed.missing ? 'git is not installed; files are listed without git' : 'not a git repository; .gitignore files and default ignores apply');
  }
  try {
    const withStatus = options.status ?? true;
    const [branch, status, listing] = await Promise.all([
      withStatus ? git(root, ['rev-parse', '--abbrev-ref', 'HEAD']).then((b) => b.trim(), () => null) : null,
      withStatus ? git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=normal', '--', '.']) : '',
      git(root, ['ls-files', '--cached', '--others', '--exclude-standard', '-z']),
    ]);
    return {
      isRepo: true,
      branch: branch === 'HEAD' ? '(detached HEAD)' : branch,
      dirty: parseStatus(status, prefix).slice(0, MAX_DIRTY),
      files: [...new Set(listing.split('\0').filter(Boolean))],
      note: null,
    };
  } catch (error) {
    return notRepo(`git could not list the files (${(error as Error).message}); .gitignore files and default ignores apply`);
  }
}

function notRepo(note: string): GitSnapshot {
  return { isRepo: false, branch: null, dirty: [], files: null, note };
}

/** `git status --porcelain=v1 -z` entries (repository-relative) as workspace-relative paths. */
export function parseStatus(output: string, prefix: string): string[] {
  const parts = output.split('\0');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i]!;
    if (entry.length < 4) continue;
    const code = entry.slice(0, 2);
    const file = entry.slice(3);
    if (code.includes('R') || code.includes('C')) i++; // a rename's source path follows
    if (!file.startsWith(prefix)) continue;
    out.push(file.slice(prefix.length));
  }
  return out;
}
