/**
 * Ranks a workspace's files for a request the way Aider's repo map does (aider/repomap.py,
 * get_ranked_tags): files are nodes, every (referencing file → defining file) pair of a shared
 * identifier is a weighted edge, and PageRank personalised toward the files and names the request
 * mentions orders them. Edge weights follow Aider: ×10 for a mentioned name, ×10 for a long
 * snake/camel-case name (≥ 8 chars), ×0.1 for a `_private` name, ×0.1 for a name defined in more than
 * five files, ×50 from a file the user added, and √(reference count).
 */
export interface SymbolGraph {
  files: readonly string[];
  /** name → files defining it */
  defines: ReadonlyMap<string, ReadonlySet<string>>;
  /** name → (file → how many times it references the name) */
  references: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export interface RankRequest {
  mentionedFiles: ReadonlySet<string>;
  mentionedIdents: ReadonlySet<string>;
  /** Files the user added by hand (Aider's chat files). */
  chatFiles: ReadonlySet<string>;
  /** Files whose name matches a word of the request (Aider's ident-filename matches): personalised, not sent for that alone. */
  nameMatchedFiles?: ReadonlySet<string>;
}

export interface RankedFile {
  path: string;
  rank: number;
}

export interface RankedDefinition {
  path: string;
  name: string;
  rank: number;
}

export interface Ranking {
  files: RankedFile[];
  definitions: RankedDefinition[];
  /** file → files it has an edge to or from (for "references Foo" reasons). */
  neighbours: ReadonlyMap<string, ReadonlySet<string>>;
}

const DAMPING = 0.85;
const ITERATIONS = 60;
const TOLERANCE = 1e-9;

function identWeight(ident: string, definers: number, mentioned: boolean): number {
  let mul = 1;
  const isSnake = ident.includes('_') && /[A-Za-z]/.test(ident);
  const isCamel = /[A-Z]/.test(ident) && /[a-z]/.test(ident);
  if (mentioned) mul *= 10;
  if ((isSnake || isCamel) && ident.length >= 8) mul *= 10;
  if (ident.startsWith('_')) mul *= 0.1;
  if (definers > 5) mul *= 0.1;
  return mul;
}

export function rankFiles(graph: SymbolGraph, request: RankRequest): Ranking {
  const index = new Map<string, number>();
  graph.files.forEach((f, i) => index.set(f, i));
  const n = graph.files.length;
  const edges: Array<{ from: number; to: number; weight: number; ident: string }> = [];
  const out = new Float64Array(n);
  const neighbours = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    let set = neighbours.get(a);
    if (!set) neighbours.set(a, (set = new Set()));
    set.add(b);
  };
  for (const [ident, refs] of graph.references) {
    const definers = graph.defines.get(ident);
    if (!definers || definers.size === 0) continue;
    const mul = identWeight(ident, definers.size, request.mentionedIdents.has(ident));
    for (const [referencer, count] of refs) {
      const from = index.get(referencer);
      if (from === undefined) continue;
      const useMul = request.chatFiles.has(referencer) ? mul * 50 : mul;
      for (const definer of definers) {
        const to = index.get(definer);
        if (to === undefined || to === from) continue;
        const weight = useMul * Math.sqrt(count);
        edges.push({ from, to, weight, ident });
        out[from] = out[from]! + weight;
        link(referencer, definer);
        link(definer, referencer);
      }
    }
  }

  // Personalisation (Aider: 100 / number of files for each chat, mentioned or name-matched file).
  const personal = new Float64Array(n);
  let personalSum = 0;
  const boost = (f: string) => {
    const i = index.get(f);
    if (i === undefined || personal[i]! > 0) return;
    personal[i] = 100 / Math.max(n, 1);
    personalSum += personal[i]!;
  };
  for (const f of request.chatFiles) boost(f);
  for (const f of request.mentionedFiles) boost(f);
  for (const f of request.nameMatchedFiles ?? []) boost(f);
  for (const ident of request.mentionedIdents) for (const f of graph.defines.get(ident) ?? []) boost(f);
  if (personalSum === 0) {
    personal.fill(1 / Math.max(n, 1));
  } else for (let i = 0; i < n; i++) personal[i] = personal[i]! / personalSum;

  let rank = Float64Array.from(personal);
  for (let iter = 0; iter < ITERATIONS; iter++) {
    const next = new Float64Array(n);
    let dangling = 0;
    for (let i = 0; i < n; i++) if (out[i] === 0) dangling += rank[i]!;
    for (const e of edges) next[e.to] = next[e.to]! + (DAMPING * rank[e.from]! * e.weight) / out[e.from]!;
    let delta = 0;
    for (let i = 0; i < n; i++) {
      next[i] = next[i]! + (1 - DAMPING) * personal[i]! + DAMPING * dangling * personal[i]!;
      delta += Math.abs(next[i]! - rank[i]!);
    }
    rank = next;
    if (delta < TOLERANCE * n) break;
  }

  // Each file's rank flows to the definitions its edges point at (Aider's ranked_definitions).
  const defRank = new Map<string, RankedDefinition>();
  for (const e of edges) {
    const to = graph.files[e.to]!;
    const key = `${to}\0${e.ident}`;
    const share = (rank[e.from]! * e.weight) / out[e.from]!;
    const entry = defRank.get(key);
    if (entry) entry.rank += share;
    else defRank.set(key, { path: to, name: e.ident, rank: share });
  }
  const files = graph.files.map((path, i) => ({ path, rank: rank[i]! })).sort((a, b) => b.rank - a.rank || (a.path < b.path ? -1 : 1));
  const definitions = [...defRank.values()].sort((a, b) => b.rank - a.rank || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.name < b.name ? -1 : 1));
  return { files, definitions, neighbours };
}
