import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PathEscapeError, resolveInWorkspace, toWorkspaceRelative } from '../workspace';
import type { EditBlock } from './edit-blocks';
import { replaceOnce } from './match-block';

/** One file an edit would change: its bytes before (null: the edit creates it) and its text after. */
export interface FileChange {
  /** Workspace-relative, forward slashes. */
  path: string;
  absolute: string;
  before: Buffer | null;
  after: string;
}

/** Why one block could not be applied; the model is shown these on the next attempt. */
export interface BlockProblem {
  path: string;
  message: string;
}

export class EditApplyError extends Error {
  readonly code = 'edit_apply';
  constructor(readonly problems: BlockProblem[]) {
    super(problems.map((p) => p.message).join('\n\n'));
    this.name = 'EditApplyError';
  }
}

/** Over this size a file is not edited (the model never saw it whole either). */
const MAX_EDIT_BYTES = 2 * 1024 * 1024;

/** A NUL byte in the first 8 KB, or bytes that are not UTF-8, make a file binary (git's rule and more). */
export function isBinary(bytes: Buffer): boolean {
  if (bytes.subarray(0, 8192).includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

function showSearch(search: string): string {
  const lines = search.split('\n');
  const shown = lines.length > 12 ? [...lines.slice(0, 12), `… (${lines.length - 12} more lines)`] : lines;
  return shown.map((l) => `    ${l}`).join('\n').trimEnd();
}

const VCS_DIRS = new Set(['.git', '.hg', '.svn']);

export interface PrepareOptions {
  /** Files with uncommitted changes the user did not allow us to touch (workspace-relative). */
  protectedFiles?: ReadonlySet<string>;
}

/**
 * The files a reply's blocks would change, computed in memory: nothing is written. Every block's
 * problem is collected (not just the first), so the model hears about all of them at once.
 */
export function prepareEdits(root: string, blocks: readonly EditBlock[], options: PrepareOptions = {}): FileChange[] {
  const changes = new Map<string, FileChange>();
  const problems: BlockProblem[] = [];
  for (const block of blocks) {
    let absolute: string;
    try {
      absolute = resolveInWorkspace(root, block.path);
    } catch (error) {
      if (error instanceof PathEscapeError) {
        problems.push({ path: block.path, message: `Refused ${block.path}: ${error.message}.` });
        continue;
      }
      throw error;
    }
    const rel = toWorkspaceRelative(root, absolute);
    // A version-control folder holds config and hooks that run programs (core.fsmonitor, hooks/*):
    // an edit there could run code without the user's permission, so no reply may touch one.
    if (rel.split('/').some((segment) => VCS_DIRS.has(segment.toLowerCase()))) {
      problems.push({ path: rel, message: `Refused ${rel}: files inside ${rel.split('/').find((segment) => VCS_DIRS.has(segment.toLowerCase()))}/ are version-control internals, never edited.` });
      continue;
    }
    if (options.protectedFiles?.has(rel)) {
      problems.push({ path: rel, message: `Refused ${rel}: it has uncommitted changes, which Switchboard does not overwrite (commit or stash them, or allow it with --allow-dirty).` });
      continue;
    }
    let change = changes.get(rel);
    if (!change) {
      let before: Buffer | null = null;
      const stat = fs.statSync(absolute, { throwIfNoEntry: false });
      if (stat?.isDirectory()) {
        problems.push({ path: rel, message: `Refused ${rel}: it is a directory, not a file.` });
        continue;
      }
      if (stat) {
        if (stat.size > MAX_EDIT_BYTES) {
          problems.push({ path: rel, message: `Refused ${rel}: it is ${Math.round(stat.size / 1024)} KB, over the ${MAX_EDIT_BYTES / 1024 / 1024} MB edit limit.` });
          continue;
        }
        before = fs.readFileSync(absolute);
        if (isBinary(before)) {
          problems.push({ path: rel, message: `Refused ${rel}: it is a binary file; edit blocks only change text files.` });
          continue;
        }
      }
      change = { path: rel, absolute, before, after: before ? before.toString('utf8') : '' };
      changes.set(rel, change);
    }
    const crlf = change.after.includes('\r\n');
    const current = crlf ? change.after.replace(/\r\n/g, '\n') : change.after;
    let next: string;
    if (block.search.trim() === '') {
      if (current.trim() !== '') {
        problems.push({ path: rel, message: `The block for ${rel} has an empty SEARCH, which creates a file, but ${rel} already exists. To change it, SEARCH for the exact lines to replace.` });
        continue;
      }
      next = block.replace;
    } else {
      if (change.before === null && current === '') {
        problems.push({ path: rel, message: `The SEARCH block for ${rel} cannot match: ${rel} does not exist. To create it, leave SEARCH empty. The SEARCH text was:\n${showSearch(block.search)}` });
        continue;
      }
      const r = replaceOnce(current, block.search, block.replace);
      if (!r.ok) {
        problems.push({
          path: rel,
          message:
            r.reason === 'none'
              ? `The SEARCH block for ${rel} matches nothing in the file (not even ignoring indentation). SEARCH must copy existing lines exactly. The SEARCH text was:\n${showSearch(block.search)}`
              : `The SEARCH block for ${rel} matches ${r.count} places; add surrounding lines so it matches exactly one. The SEARCH text was:\n${showSearch(block.search)}`,
        });
        continue;
      }
      next = r.content;
    }
    change.after = crlf ? next.replace(/\n/g, '\r\n') : next;
  }
  if (problems.length > 0) throw new EditApplyError(problems);
  return [...changes.values()].filter((c) => c.before === null || c.before.toString('utf8') !== c.after);
}

/** Edits on disk, with what undoes them exactly. */
export interface AppliedEdits {
  files: string[];
  /** Each edited file's mode before the edit (null: the edit created it), for an undo after a restart. */
  modes: ReadonlyMap<string, number | null>;
  /** The folders made for created files, outermost first. */
  createdDirs: readonly string[];
  /** Restores every file's bytes and mode, deletes created files and the folders made for them. */
  undo(): void;
}

/** One file to put back: its bytes before (null: it was created, so it is deleted) and its mode then. */
export interface RestoreEntry {
  absolute: string;
  before: Buffer | null;
  mode: number | null;
}

/**
 * Puts files back to their bytes before an edit (each through a temp file and a rename), deletes
 * the files an edit created and then the folders made for them, where they are empty. Used by an
 * attempt's rollback and by Undo (also after a restart, from the stored bytes).
 */
export function restoreFiles(entries: readonly RestoreEntry[], createdDirs: readonly string[]): void {
  for (const e of [...entries].reverse()) {
    if (e.before === null) fs.rmSync(e.absolute, { force: true });
    else {
      const temp = tempBeside(e.absolute);
      fs.writeFileSync(temp, e.before, e.mode === null ? undefined : { mode: e.mode });
      fs.renameSync(temp, e.absolute);
    }
  }
  for (const dir of [...createdDirs].reverse()) {
    try {
      fs.rmdirSync(dir);
    } catch {
      // Not empty any more: something else was put there since; it stays.
    }
  }
}

function tempBeside(absolute: string): string {
  return path.join(path.dirname(absolute), `.${path.basename(absolute)}.sb-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes all changes or none: each new content goes to a temp file beside its target first, then
 * the temp files are renamed over the targets (a rename is atomic on one filesystem). A failure
 * part way restores what was already renamed.
 */
export function applyChanges(changes: readonly FileChange[]): AppliedEdits {
  const createdDirs: string[] = [];
  const temps: Array<{ change: FileChange; temp: string; mode: number | null }> = [];
  const renamed: Array<{ change: FileChange; mode: number | null }> = [];
  const restore = (list: ReadonlyArray<{ change: FileChange; mode: number | null }>): void =>
    restoreFiles(list.map(({ change, mode }) => ({ absolute: change.absolute, before: change.before, mode })), createdDirs);
  try {
    for (const change of changes) {
      const dir = path.dirname(change.absolute);
      if (!fs.existsSync(dir)) {
        // The folders a new file needs, outermost first, so undo removes exactly those.
        const missing: string[] = [];
        for (let d = dir; !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
        fs.mkdirSync(dir, { recursive: true });
        createdDirs.push(...missing);
      }
      const mode = change.before === null ? null : fs.statSync(change.absolute).mode & 0o7777;
      const temp = tempBeside(change.absolute);
      fs.writeFileSync(temp, change.after, mode === null ? undefined : { mode });
      temps.push({ change, temp, mode });
    }
    for (const t of temps) {
      fs.renameSync(t.temp, t.change.absolute);
      renamed.push(t);
    }
  } catch (error) {
    for (const t of temps) fs.rmSync(t.temp, { force: true });
    restore(renamed);
    throw error;
  }
  let undone = false;
  return {
    files: changes.map((c) => c.path),
    modes: new Map(renamed.map(({ change, mode }) => [change.path, mode])),
    createdDirs: [...createdDirs],
    undo() {
      if (undone) return;
      undone = true;
      restore(renamed);
    },
  };
}
