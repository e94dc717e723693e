import fs from 'node:fs';
import path from 'node:path';
import type { ContextPack, ContextProvider, ContextRequest } from '../workspace';
import { isBinary } from './apply-edits';

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'target', '__pycache__', '.venv', 'venv', '.next', 'coverage']);
const MAX_FILES_SCANNED = 2_000;

/**
 * The honest fallback context for small workspaces (issue #12): the files the request names (and
 * the user pinned), then every other small text file, in path order, until the byte budget is spent.
 * No ranking: the workspace index (tree-sitter repo map) replaces it where it is wired.
 */
export const wholeRepoContext: ContextProvider = async (request: ContextRequest): Promise<ContextPack> => {
  const all: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(path.join(request.root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (all.length >= MAX_FILES_SCANNED) return;
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(rel);
      } else if (e.isFile()) all.push(rel);
    }
  };
  walk('');
  const excluded = new Set(request.excluded ?? []);
  const named = all.filter((f) => request.task.includes(f) || request.task.includes(path.basename(f)));
  const pinned = (request.pinned ?? []).filter((f) => all.includes(f));
  const order = [...new Set([...pinned, ...named, ...all])].filter((f) => !excluded.has(f));
  const pack: ContextPack = { files: [], repoMap: '', omitted: [] };
  let used = 0;
  for (const file of order) {
    const bytes = fs.readFileSync(path.join(request.root, file));
    if (isBinary(bytes)) continue;
    if (used + bytes.length > request.budgetBytes) {
      pack.omitted.push(file);
      continue;
    }
    used += bytes.length;
    const reason = pinned.includes(file) ? 'added by you' : named.includes(file) ? 'mentioned' : 'small workspace: sent whole';
    pack.files.push({ path: file, content: bytes.toString('utf8'), reason });
  }
  return pack;
};
