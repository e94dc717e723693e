import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** A path that would leave its workspace (by `..`, an absolute path, or a symlink pointing out). */
export class PathEscapeError extends Error {
  readonly code = 'path_escape';
  constructor(readonly requested: string, reason: string) {
    super(`"${requested}" is outside the workspace (${reason}); nothing was read or written`);
    this.name = 'PathEscapeError';
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The deepest existing ancestor of `p` (itself when it exists), resolved through symlinks. */
function realExistingAncestor(p: string): { real: string; rest: string[] } {
  const rest: string[] = [];
  let current = p;
  for (;;) {
    try {
      lstatSync(current);
      return { real: realpathSync(current), rest };
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return { real: current, rest };
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
}

/**
 * Resolves a workspace-relative path to an absolute one, refusing anything outside `root`: `..`
 * segments, absolute paths, NUL bytes, and symlinks (of the file or any parent) that lead out. A file
 * that does not exist yet is allowed when its nearest existing parent is inside (new files).
 */
export function resolveInWorkspace(root: string, requested: string): string {
  if (requested.includes('\0')) throw new PathEscapeError(requested, 'contains a NUL byte');
  const trimmed = requested.trim();
  if (trimmed === '') throw new PathEscapeError(requested, 'empty path');
  if (path.isAbsolute(trimmed) || /^[a-zA-Z]:[\\/]/.test(trimmed)) throw new PathEscapeError(requested, 'absolute path');
  const realRoot = realpathSync(root);
  const joined = path.resolve(realRoot, trimmed);
  if (!isInside(realRoot, joined)) throw new PathEscapeError(requested, 'it climbs out with ..');
  const { real, rest } = realExistingAncestor(joined);
  if (!isInside(realRoot, real)) throw new PathEscapeError(requested, 'a symlink leads out');
  return rest.length === 0 ? real : path.join(real, ...rest);
}

/** The workspace-relative, forward-slash form of an absolute path inside `root`. */
export function toWorkspaceRelative(root: string, absolute: string): string {
  return path.relative(realpathSync(root), absolute).split(path.sep).join('/');
}
