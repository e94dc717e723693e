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
  /** For each file the request is about (personalised): the files it has an edge to or from. */
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

interface PreparedGraph {
  index: Map<string, number>;
  from: Int32Array;
  to: Int32Array;
  /** Weight without the request's multipliers (mentioned name, user's file). */
  base: Float64Array;
  ident: Int32Array;
  idents: string[];
}

/** Edges depend only on the index; they are built once per graph (the index keeps a graph until it changes). */
const prepared = new WeakMap<SymbolGraph, PreparedGraph>();

function prepare(graph: SymbolGraph): PreparedGraph {
  const cached = prepared.get(graph);
  if (cached) return cached;
  const index = new Map<string, number>();
  graph.files.forEach((f, i) => index.set(f, i));
  const from: number[] = [];
  const to: number[] = [];
  const base: number[] = [];
  const ident: number[] = [];
  const idents: string[] = [];
  for (const [name, refs] of graph.references) {
    const definers = graph.defines.get(name);
    if (!definers || definers.size === 0) continue;
    const id = idents.push(name) - 1;
    const mul = identWeight(name, definers.size, false);
    for (const [referencer, count] of refs) {
      const f = index.get(referencer);
      if (f === undefined) continue;
      for (const definer of definers) {
        const t = index.get(definer);
        if (t === undefined || t === f) continue;
        from.push(f);
        to.push(t);
        base.push(mul * Math.sqrt(count));
        ident.push(id);
      }
    }
  }
  const out = { index, from: Int32Array.from(from), to: Int32Array.from(to), base: Float64Array.from(base), ident: Int32Array.from(ident), idents };
  prepared.set(graph, out);
  return out;
}

export function rankFiles(graph: SymbolGraph, request: RankRequest): Ranking {
  const { index, from, to, base, ident, idents } = prepare(graph);
  const n = graph.files.length;
  const m = from.length;
  const mentioned = new Uint8Array(idents.length);
  idents.forEach((name, i) => (mentioned[i] = request.mentionedIdents.has(name) ? 1 : 0));
  const chat = new Uint8Array(n);
  for (const f of request.chatFiles) {
    const i = index.get(f);
    if (i !== undefined) chat[i] = 1;
  }
  const weight = new Float64Array(m);
  const out = new Float64Array(n);
  const neighbours = new Map<string, Set<string>>();
  const link = (a: number, b: number) => {
    const key = graph.files[a]!;
    let set = neighbours.get(key);
    if (!set) neighbours.set(key, (set = new Set()));
    set.add(graph.files[b]!);
  };
  for (let e = 0; e < m; e++) {
    const w = base[e]! * (mentioned[ident[e]!] ? 10 : 1) * (chat[from[e]!] ? 50 : 1);
    weight[e] = w;
    out[from[e]!] = out[from[e]!]! + w;
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
  for (const name of request.mentionedIdents) for (const f of graph.defines.get(name) ?? []) boost(f);
  if (personalSum === 0) {
    personal.fill(1 / Math.max(n, 1));
  } else for (let i = 0; i < n; i++) personal[i] = personal[i]! / personalSum;

  // Neighbours of the files the request is about (the selection's second tier), both directions.
  for (let e = 0; e < m; e++) {
    if (personal[from[e]!]! > 0 && personalSum > 0) link(from[e]!, to[e]!);
    if (personal[to[e]!]! > 0 && personalSum > 0) link(to[e]!, from[e]!);
  }

  let rank = Float64Array.from(personal);
  for (let iter = 0; iter < ITERATIONS; iter++) {
    const next = new Float64Array(n);
    let dangling = 0;
    for (let i = 0; i < n; i++) if (out[i] === 0) dangling += rank[i]!;
    for (let e = 0; e < m; e++) next[to[e]!] = next[to[e]!]! + (DAMPING * rank[from[e]!]! * weight[e]!) / out[from[e]!]!;
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
  for (let e = 0; e < m; e++) {
    const share = (rank[from[e]!]! * weight[e]!) / out[from[e]!]!;
    if (share <= 0) continue;
    const path = graph.files[to[e]!]!;
    const name = idents[ident[e]!]!;
    const key = `${path}\0${name}`;
    const entry = defRank.get(key);
    if (entry) entry.rank += share;
    else defRank.set(key, { path, name, rank: share });
  }
  const files = graph.files.map((path, i) => ({ path, rank: rank[i]! })).sort((a, b) => b.rank - a.rank || (a.path < b.path ? -1 : 1));
  const definitions = [...defRank.values()].sort((a, b) => b.rank - a.rank || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.name < b.name ? -1 : 1));
  return { files, definitions, neighbours };
}
