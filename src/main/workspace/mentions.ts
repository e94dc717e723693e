import path from 'node:path';
import type { SymbolGraph } from './rank';

export interface Mentions {
  /** Files the request names by path (`src/parser.ts`) or by an unambiguous file name (`parser.ts`). */
  files: Set<string>;
  /** Identifiers of the request that the workspace defines (exactly, or ignoring case for names of 4+ chars). */
  idents: Set<string>;
  /** Files whose name (without extension) is a word of the request (Aider's ident-filename matches). */
  nameMatched: Set<string>;
}

/** A basename shared by more files than this is too ambiguous to count as a mention (index.ts, mod.rs …). */
const MAX_BASENAME_MATCHES = 2;
const MIN_STEM_LENGTH = 4;

function stemOf(p: string): string {
  const base = path.posix.basename(p);
  const dot = base.indexOf('.');
  return (dot > 0 ? base.slice(0, dot) : base).toLowerCase().replace(/[-_]/g, '');
}

/** What a request mentions of a workspace: file paths and defined names (Aider: get_file_mentions, get_ident_mentions). */
export function findMentions(task: string, graph: SymbolGraph, allPaths: readonly string[]): Mentions {
  const files = new Set<string>();
  const byBasename = new Map<string, string[]>();
  const byStem = new Map<string, string[]>();
  const pathSet = new Set(allPaths);
  for (const p of allPaths) {
    const base = path.posix.basename(p);
    (byBasename.get(base) ?? byBasename.set(base, []).get(base)!).push(p);
    const stem = stemOf(p);
    (byStem.get(stem) ?? byStem.set(stem, []).get(stem)!).push(p);
  }
  for (const raw of task.match(/[\w./@-]+\.[A-Za-z0-9]+/g) ?? []) {
    const token = raw.replace(/^\.\//, '').replace(/[.,;:]+$/, '');
    if (pathSet.has(token)) {
      files.add(token);
      continue;
    }
    const suffixed = allPaths.filter((p) => p.endsWith(`/${token}`));
    if (suffixed.length > 0 && suffixed.length <= MAX_BASENAME_MATCHES) suffixed.forEach((p) => files.add(p));
    else if (!token.includes('/')) {
      const same = byBasename.get(token) ?? [];
      if (same.length > 0 && same.length <= MAX_BASENAME_MATCHES) same.forEach((p) => files.add(p));
    }
  }

  const words = new Set(task.split(/[^\w$]+/).filter((w) => w.length >= 2));
  const idents = new Set<string>();
  const lower = new Map<string, string[]>();
  for (const name of graph.defines.keys()) {
    if (words.has(name)) idents.add(name);
    else if (name.length >= MIN_STEM_LENGTH) (lower.get(name.toLowerCase()) ?? lower.set(name.toLowerCase(), []).get(name.toLowerCase())!).push(name);
  }
  for (const w of words) for (const name of lower.get(w.toLowerCase()) ?? []) idents.add(name);

  const nameMatched = new Set<string>();
  for (const w of words) {
    const key = w.toLowerCase().replace(/[-_]/g, '');
    if (key.length < MIN_STEM_LENGTH) continue;
    const same = byStem.get(key) ?? [];
    if (same.length > 0 && same.length <= MAX_BASENAME_MATCHES) same.forEach((p) => nameMatched.add(p));
  }
  return { files, idents, nameMatched };
}
