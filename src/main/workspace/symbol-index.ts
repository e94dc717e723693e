import { createHash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../store';
import { languageOf } from './languages';
import type { SymbolGraph } from './rank';
import type { Tag, TagExtractor } from './tags';

/**
 * Files above this are kept out of the index (generated bundles, lock files, fixtures): one of them
 * would not fit a 20 KB context anyway (seed 002), and parsing it costs more than the rest of the repo.
 */
export const MAX_INDEXED_FILE_BYTES = 512 * 1024;
/** A NUL byte in the first 8 KB marks a binary, as git's own heuristic does. */
const BINARY_SNIFF_BYTES = 8000;
/** Files written per transaction while indexing, and the points where the event loop gets a turn. */
const BATCH = 100;

export interface IndexedFile {
  path: string;
  size: number;
  mtimeMs: number;
  hash: string;
  language: string | null;
  skipped: 'binary' | 'too_large' | 'unreadable' | null;
}

export interface RefreshResult {
  files: number;
  symbols: number;
  skipped: number;
  /** Files read again because their size or modification time changed (or new). */
  changed: number;
  removed: number;
}

export function isBinary(buffer: Buffer): boolean {
  return buffer.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

export function contentHash(buffer: Buffer | string): string {
  return createHash('sha1').update(buffer).digest('hex');
}

interface CachedGraph {
  version: number;
  graph: SymbolGraph;
  defsByFile: Map<string, Array<{ name: string; line: number; category: string }>>;
  refsByFile: Map<string, Set<string>>;
}

/**
 * The symbol index of each workspace in SQLite: one row per file (size, mtime, content hash) and one
 * per tag. `refresh` is the update rule: before every context selection the listed files are
 * stat'ed and only those whose size or mtime changed are read and parsed again (see README →
 * Workspaces for why this beats fs.watch on Linux). The graph the ranker needs is kept in memory
 * until the index changes.
 */
export class SymbolIndex {
  private readonly versions = new Map<string, number>();
  private readonly graphs = new Map<string, CachedGraph>();
  private readonly counted = new Map<string, { version: number; stats: { files: number; symbols: number; skipped: number } }>();

  constructor(
    private readonly db: Db,
    private readonly tags: TagExtractor,
  ) {}

  /** Brings the index of `workspaceId` in line with `listing` (workspace-relative paths under `root`). */
  async refresh(workspaceId: string, root: string, listing: readonly string[], signal?: AbortSignal): Promise<RefreshResult> {
    const stored = new Map<string, IndexedFile>();
    for (const row of this.db
      .prepare('SELECT path, size, mtime_ms AS mtimeMs, hash, language, skipped FROM workspace_files WHERE workspace_id = ?')
      .all(workspaceId) as IndexedFile[])
      stored.set(row.path, row);

    const listed = new Set(listing);
    const removed = [...stored.keys()].filter((p) => !listed.has(p));
    let changed = 0;
    let pending: Array<{ file: IndexedFile; tags: Tag[] | null }> = [];
    const flush = () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      this.write(workspaceId, batch);
    };

    for (let i = 0; i < listing.length; i++) {
      signal?.throwIfAborted();
      const rel = listing[i]!;
      const abs = path.join(root, rel);
      // Synchronous: 5,000 lstat calls take a few ms this way, many times that as promises (bench/workspace-index.ts).
      const stat = lstatSync(abs, { throwIfNoEntry: false });
      // Symlinks are not followed (one could lead out of the workspace); a vanished file is removed.
      if (!stat || !stat.isFile()) {
        if (stored.has(rel)) removed.push(rel);
        continue;
      }
      const before = stored.get(rel);
      const mtimeMs = Math.floor(stat.mtimeMs);
      if (before && before.size === stat.size && before.mtimeMs === mtimeMs) continue;
      changed++;
      pending.push(await this.read(rel, abs, stat.size, mtimeMs, before));
      if (pending.length >= BATCH) {
        flush();
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    flush();
    if (removed.length > 0) {
      const del = this.db.prepare('DELETE FROM workspace_files WHERE workspace_id = ? AND path = ?');
      this.db.transaction(() => removed.forEach((p) => del.run(workspaceId, p)))();
    }
    if (changed > 0 || removed.length > 0) {
      this.versions.set(workspaceId, (this.versions.get(workspaceId) ?? 0) + 1);
      this.db.prepare('UPDATE workspaces SET indexed_at = ? WHERE id = ?').run(Date.now(), workspaceId);
    }
    return { ...this.stats(workspaceId), changed, removed: removed.length };
  }

  private async read(rel: string, abs: string, size: number, mtimeMs: number, before: IndexedFile | undefined): Promise<{ file: IndexedFile; tags: Tag[] | null }> {
    const language = languageOf(rel);
    const base = { path: rel, size, mtimeMs, language };
    if (size > MAX_INDEXED_FILE_BYTES) return { file: { ...base, hash: `size:${size}:${mtimeMs}`, skipped: 'too_large' }, tags: [] };
    let buffer: Buffer;
    try {
      buffer = await readFile(abs);
    } catch {
      return { file: { ...base, hash: '', skipped: 'unreadable' }, tags: [] };
    }
    const hash = contentHash(buffer);
    if (isBinary(buffer)) return { file: { ...base, hash, skipped: 'binary' }, tags: [] };
    // Touched but not changed (a checkout, a formatter that changed nothing): keep the tags.
    if (before && before.hash === hash && before.skipped === null) return { file: { ...base, hash, skipped: null }, tags: null };
    const tags = language ? await this.tags.extract(language as never, buffer.toString('utf8')) : [];
    return { file: { ...base, hash, skipped: null }, tags };
  }

  private write(workspaceId: string, batch: Array<{ file: IndexedFile; tags: Tag[] | null }>): void {
    const upsert = this.db.prepare(
      `INSERT INTO workspace_files (workspace_id, path, size, mtime_ms, hash, language, skipped) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (workspace_id, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, hash = excluded.hash, language = excluded.language, skipped = excluded.skipped`,
    );
    const clear = this.db.prepare('DELETE FROM workspace_tags WHERE workspace_id = ? AND path = ?');
    const insert = this.db.prepare('INSERT INTO workspace_tags (workspace_id, path, name, kind, category, line) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const { file, tags } of batch) {
        upsert.run(workspaceId, file.path, file.size, file.mtimeMs, file.hash, file.language, file.skipped);
        if (tags === null) continue;
        clear.run(workspaceId, file.path);
        for (const t of tags) insert.run(workspaceId, file.path, t.name, t.kind, t.category, t.line);
      }
    })();
  }

  /** Counts of the index (kept until it changes: counting every tag row took a good part of a re-check). */
  stats(workspaceId: string): { files: number; symbols: number; skipped: number } {
    const version = this.versions.get(workspaceId) ?? 0;
    const cached = this.counted.get(workspaceId);
    if (cached && cached.version === version) return cached.stats;
    const files = this.db.prepare('SELECT COUNT(*) AS n, SUM(skipped IS NOT NULL) AS s FROM workspace_files WHERE workspace_id = ?').get(workspaceId) as { n: number; s: number | null };
    const symbols = this.db.prepare("SELECT COUNT(*) AS n FROM workspace_tags WHERE workspace_id = ? AND kind = 'def'").get(workspaceId) as { n: number };
    const stats = { files: files.n, symbols: symbols.n, skipped: files.s ?? 0 };
    this.counted.set(workspaceId, { version, stats });
    return stats;
  }

  /** A file's indexed row (null: not indexed). */
  file(workspaceId: string, rel: string): IndexedFile | null {
    return (this.db
      .prepare('SELECT path, size, mtime_ms AS mtimeMs, hash, language, skipped FROM workspace_files WHERE workspace_id = ? AND path = ?')
      .get(workspaceId, rel) as IndexedFile | undefined) ?? null;
  }

  /** Indexed paths (binaries and oversized files included), sorted. */
  paths(workspaceId: string): string[] {
    return (this.db.prepare('SELECT path FROM workspace_files WHERE workspace_id = ? ORDER BY path').pluck().all(workspaceId) as string[]);
  }

  /** The definitions and references of a workspace as the ranker's graph (kept until the index changes). */
  graph(workspaceId: string): CachedGraph {
    const version = this.versions.get(workspaceId) ?? 0;
    const cached = this.graphs.get(workspaceId);
    if (cached && cached.version === version) return cached;
    const files = this.db.prepare('SELECT path FROM workspace_files WHERE workspace_id = ? AND skipped IS NULL ORDER BY path').pluck().all(workspaceId) as string[];
    const defines = new Map<string, Set<string>>();
    const references = new Map<string, Map<string, number>>();
    const defsByFile = new Map<string, Array<{ name: string; line: number; category: string }>>();
    const refsByFile = new Map<string, Set<string>>();
    const rows = this.db.prepare('SELECT path, name, kind, category, line FROM workspace_tags WHERE workspace_id = ?').raw().iterate(workspaceId) as IterableIterator<[string, string, 'def' | 'ref', string, number]>;
    for (const [file, name, kind, category, line] of rows) {
      if (kind === 'def') {
        let set = defines.get(name);
        if (!set) defines.set(name, (set = new Set()));
        set.add(file);
        let list = defsByFile.get(file);
        if (!list) defsByFile.set(file, (list = []));
        list.push({ name, line, category });
      } else {
        let map = references.get(name);
        if (!map) references.set(name, (map = new Map()));
        map.set(file, (map.get(file) ?? 0) + 1);
        let names = refsByFile.get(file);
        if (!names) refsByFile.set(file, (names = new Set()));
        names.add(name);
      }
    }
    const entry = { version, graph: { files, defines, references }, defsByFile, refsByFile };
    this.graphs.set(workspaceId, entry);
    return entry;
  }

  forget(workspaceId: string): void {
    this.graphs.delete(workspaceId);
    this.counted.delete(workspaceId);
    this.versions.delete(workspaceId);
  }
}
