import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContextPack, ContextPackFile } from './context-pack';
import { findMentions } from './mentions';
import { rankFiles } from './rank';
import { resolveInWorkspace } from './safe-path';
import { contentHash, isBinary, type SymbolIndex } from './symbol-index';

/** What was sent earlier in a conversation: path → content hash. */
export type SentHashes = ReadonlyMap<string, string>;

export interface SelectionInput {
  workspaceId: string;
  root: string;
  task: string;
  budgetBytes: number;
  pinned: readonly string[];
  excluded: readonly string[];
  sent: SentHashes;
}

export interface SelectedFile extends ContextPackFile {
  hash: string;
  bytes: number;
}

export interface Selection extends ContextPack {
  files: SelectedFile[];
  totalBytes: number;
}

/** Share of the budget kept for the repo map while whole files are chosen (Aider's map defaults to ~1k tokens). */
const MAP_RESERVE_SHARE = 0.15;
const MAP_RESERVE_MAX = 4_000;
/** Definitions listed per file in the repo map. */
const MAP_DEFS_PER_FILE = 8;
/** Omitted paths listed in a pack (with nothing mentioned every file ranks). */
const MAX_OMITTED_LISTED = 200;
/** With nothing mentioned, whole files fill at most this share of the budget; the map shows the rest. */
const UNSEEDED_FILE_SHARE = 0.5;

interface Candidate {
  path: string;
  reason: string;
}

/**
 * Chooses what a request sends of a workspace: the files the user added, files changed since they
 * were sent, files the request mentions (by path, or by a name they define), then their neighbours
 * on the symbol graph in PageRank order, each whole while it fits the byte budget; a repo map of the
 * best-ranked other files' definitions takes what is left. Files sent earlier in the conversation and
 * unchanged are not sent again (differential context, seed 002).
 */
export async function selectContext(index: SymbolIndex, input: SelectionInput): Promise<Selection> {
  const { graph, defsByFile, refsByFile } = index.graph(input.workspaceId);
  const allPaths = index.paths(input.workspaceId);
  const mentions = findMentions(input.task, graph, allPaths);
  const excluded = new Set(input.excluded);
  const pinned = input.pinned.filter((p) => !excluded.has(p));
  // Aider's chat files: the ones the user added and those already sent in this conversation.
  const chatFiles = new Set([...pinned, ...[...input.sent.keys()].filter((p) => !excluded.has(p))]);
  const ranking = rankFiles(graph, { mentionedFiles: mentions.files, mentionedIdents: mentions.idents, chatFiles, nameMatchedFiles: mentions.nameMatched });
  const rankOf = new Map(ranking.files.map((f, i) => [f.path, i]));
  const byRank = (a: string, b: string) => (rankOf.get(a) ?? Infinity) - (rankOf.get(b) ?? Infinity);

  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  const push = (p: string, reason: string) => {
    if (seen.has(p) || excluded.has(p)) return;
    seen.add(p);
    candidates.push({ path: p, reason });
  };
  for (const p of pinned) push(p, 'added by you');
  for (const p of [...mentions.files].sort(byRank)) push(p, 'mentioned');
  const definers: Array<{ path: string; name: string }> = [];
  for (const name of mentions.idents) for (const p of graph.defines.get(name) ?? []) definers.push({ path: p, name });
  // A specific name (long camel/snake case, defined in few files: Aider's edge weights) before a common word, then by rank.
  definers.sort((a, b) => specificity(b.name, graph.defines) - specificity(a.name, graph.defines) || byRank(a.path, b.path));
  for (const d of definers) push(d.path, `defines ${d.name}`);
  for (const p of [...mentions.nameMatched].sort(byRank)) push(p, 'file name matches the request');
  const seeds = [...candidates.map((c) => c.path)];
  const seeded = seeds.length > 0;
  // The seeds' neighbours on the symbol graph, best ranked first.
  const neighbours = new Set<string>();
  for (const s of seeds) for (const n of ranking.neighbours.get(s) ?? []) neighbours.add(n);
  const seedDefs = new Set<string>();
  for (const s of seeds) for (const d of defsByFile.get(s) ?? []) seedDefs.add(d.name);
  for (const p of [...neighbours].sort(byRank)) push(p, relation(p, seeds, seedDefs, defsByFile, refsByFile));
  // Nothing mentioned in a first request: the best-ranked files whole. In a follow-up the conversation already has its files.
  if (!seeded && input.sent.size === 0) ranking.files.forEach((f, i) => push(f.path, `repo map rank ${i + 1}`));
  // A file sent earlier that changed since is stale in the model's context: it goes first after the user's own.
  const changedEarlier: Candidate[] = [];
  for (const [p, hash] of input.sent) {
    if (excluded.has(p) || pinned.includes(p)) continue;
    const row = index.file(input.workspaceId, p);
    if (row && row.hash !== hash) changedEarlier.push({ path: p, reason: 'changed since last turn' });
  }
  const ordered = [...candidates.filter((c) => pinned.includes(c.path)), ...changedEarlier, ...candidates.filter((c) => !pinned.includes(c.path) && !changedEarlier.some((e) => e.path === c.path))];

  const budget = input.budgetBytes;
  const reserve = Math.min(MAP_RESERVE_MAX, Math.floor(budget * MAP_RESERVE_SHARE));
  const fileBudget = seeded ? budget - reserve : Math.floor(budget * UNSEEDED_FILE_SHARE);
  const files: SelectedFile[] = [];
  const omitted: string[] = [];
  let used = 0;
  for (const c of ordered) {
    const row = index.file(input.workspaceId, c.path);
    if (!row || row.skipped !== null) continue; // binaries and oversized files are never sent
    const earlier = input.sent.get(c.path);
    // The index was refreshed just before: its hash and size are the file's (read only what is sent).
    if (earlier === row.hash) {
      omitted.push(c.path); // sent earlier in this conversation, unchanged
      continue;
    }
    if (used + row.size > fileBudget) {
      omitted.push(c.path);
      continue;
    }
    const content = await readText(input.root, c.path);
    if (content === null) continue;
    const hash = contentHash(content);
    const bytes = Buffer.byteLength(content);
    if (used + bytes > fileBudget) {
      omitted.push(c.path); // changed between the refresh and now
      continue;
    }
    used += bytes;
    files.push({ path: c.path, content, reason: earlier !== undefined && c.reason !== 'added by you' ? 'changed since last turn' : c.reason, hash, bytes });
  }

  // The map leaves out what the model has whole: the files sent now and those sent earlier, unchanged.
  const inContext = new Set([...files.map((f) => f.path), ...omitted.filter((p) => input.sent.get(p) !== undefined && !files.some((f) => f.path === p))]);
  const repoMap = buildRepoMap(ranking.files.map((f) => f.path), ranking.definitions, defsByFile, inContext, excluded, budget - used);
  return { files, repoMap, omitted: omitted.slice(0, MAX_OMITTED_LISTED), totalBytes: used + Buffer.byteLength(repoMap) };
}

function specificity(name: string, defines: ReadonlyMap<string, ReadonlySet<string>>): number {
  const long = name.length >= 8 && ((name.includes('_') && /[A-Za-z]/.test(name)) || (/[A-Z]/.test(name) && /[a-z]/.test(name)));
  return (long ? 10 : 1) * ((defines.get(name)?.size ?? 0) > 5 ? 0.1 : 1);
}

/** Why a neighbour of the seed files was chosen: a name it uses from them, or one of its own they use. */
function relation(
  file: string,
  seeds: readonly string[],
  seedDefs: ReadonlySet<string>,
  defsByFile: ReadonlyMap<string, ReadonlyArray<{ name: string }>>,
  refsByFile: ReadonlyMap<string, ReadonlySet<string>>,
): string {
  for (const name of refsByFile.get(file) ?? []) if (seedDefs.has(name)) return `references ${name}`;
  for (const { name } of defsByFile.get(file) ?? []) {
    const user = seeds.find((s) => refsByFile.get(s)?.has(name));
    if (user) return `defines ${name}, used by ${path.posix.basename(user)}`;
  }
  return 'related by symbols';
}

async function readText(root: string, rel: string): Promise<string | null> {
  try {
    const buffer = await readFile(resolveInWorkspace(root, rel));
    return isBinary(buffer) ? null : buffer.toString('utf8');
  } catch {
    return null; // deleted since it was indexed, or a path that escapes: not sent
  }
}

/** Aider-style map: each ranked file not sent whole, with its best-ranked definitions, while it fits `room` bytes. */
export function buildRepoMap(
  rankedFiles: readonly string[],
  rankedDefs: ReadonlyArray<{ path: string; name: string }>,
  defsByFile: ReadonlyMap<string, ReadonlyArray<{ name: string; line: number; category: string }>>,
  skip: ReadonlySet<string>,
  excluded: ReadonlySet<string>,
  room: number,
): string {
  if (room <= 0) return '';
  const order = new Map<string, string[]>();
  for (const d of rankedDefs) (order.get(d.path) ?? order.set(d.path, []).get(d.path)!).push(d.name);
  let out = '';
  for (const file of rankedFiles) {
    if (skip.has(file) || excluded.has(file)) continue;
    const defs = defsByFile.get(file);
    if (!defs || defs.length === 0) continue;
    const preferred = order.get(file) ?? [];
    const sorted = [...defs].sort((a, b) => {
      const ia = preferred.indexOf(a.name);
      const ib = preferred.indexOf(b.name);
      return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib) || a.line - b.line;
    });
    const lines = sorted.slice(0, MAP_DEFS_PER_FILE).sort((a, b) => a.line - b.line).map((d) => `  ${d.line}: ${d.category} ${d.name}`);
    const block = `${file}:\n${lines.join('\n')}\n`;
    if (Buffer.byteLength(out) + Buffer.byteLength(block) > room) break;
    out += block;
  }
  return out;
}
