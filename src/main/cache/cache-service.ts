import type Database from 'better-sqlite3';
import { SwitchboardError } from '../../shared/errors';
import type { Logger } from '../logger';
import { CacheEntries, type EntryRow } from './cache-entries';
import { exactKey, normalizeText, semanticParts, type SemanticParts } from './cache-key';
import { CacheSettings, CacheSettingsPatch, DEFAULT_CACHE_SETTINGS } from './cache-settings';
import { requestIneligibility, storeIneligibility } from './eligibility';
import { EmbeddingSource, isEmbeddingFailure } from './embedding-source';
import { HitLedger } from './hit-ledger';
import { GUARD_LABELS, extractGuards, guardMismatch, parseGuards, serializeGuards } from './prompt-guards';
import type {
  CacheClock, CacheHit, CacheKind, CacheRequest, CacheStats, CacheStatus, Embedder, LookupResult, StoreRequest, StoreResult,
} from './types';
import { VectorIndex, type VectorExtensionLoader, type VectorIndexOptions } from './vector-index';

export interface CacheServiceOptions {
  /** The app's database, migrated to version 5 (src/main/store/migrations/005-cache.ts). */
  db: Database.Database;
  /** The embedding function; null or absent runs the exact cache only. */
  embedder?: Embedder | null;
  /** What status() says when there is no embedder (default: pull nomic-embed-text). */
  noEmbedderReason?: string;
  settings?: CacheSettingsPatch;
  clock?: CacheClock;
  logger?: Logger;
  /** How sqlite-vec is loaded (default: the npm package's loadable path). */
  loadVectorExtension?: VectorExtensionLoader;
  vectorIndex?: VectorIndexOptions;
  embedTimeoutMs?: number;
  embedBackoffMs?: number;
  /** How long hit counts wait in memory before they are written (default 1 s). */
  statsFlushMs?: number;
}

/**
 * Longer prompts are matched exactly only. Embedding models truncate their input (Ollama runs
 * nomic-embed-text at a 2,048-token context), so two long prompts that share a beginning would
 * embed alike however different their ends; 4,000 characters is about 1,000 tokens.
 */
const SEMANTIC_MAX_CHARS = 4_000;
/** The row, the key and the indexes around the text; a rough figure, used only for the size limit. */
const ROW_OVERHEAD_BYTES = 200;
const EVICT_BATCH = 64;

/**
 * Issue #6's response cache: an exact cache keyed by the canonical request, and a semantic cache
 * that serves an answer to a prompt that means the same (cosine >= threshold and every guard of
 * prompt-guards.ts equal), both in SQLite. Every entry is an answer that can be reused: low
 * temperature, no tool results, gates passed, complete. Without an embedding model (or sqlite-vec)
 * only the exact cache runs, and status() says why.
 */
export class CacheService {
  private current: CacheSettings;
  private readonly db: Database.Database;
  private readonly entries: CacheEntries;
  private readonly vectors: VectorIndex | undefined;
  private readonly vectorError: string | undefined;
  private readonly embeddings: EmbeddingSource;
  private readonly ledger: HitLedger;
  private readonly clock: CacheClock;

  constructor(options: CacheServiceOptions) {
    this.db = options.db;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.current = CacheSettings.parse({ ...DEFAULT_CACHE_SETTINGS, ...CacheSettingsPatch.parse(options.settings ?? {}) });
    this.entries = new CacheEntries(this.db);
    this.ledger = new HitLedger(this.entries, options.statsFlushMs ?? 1_000, options.logger);
    const index = VectorIndex.open(this.db, { ...options.vectorIndex, load: options.loadVectorExtension });
    if (index instanceof VectorIndex) this.vectors = index;
    else {
      this.vectorError = index.error;
      options.logger?.warn('cache: semantic matching unavailable', { reason: index.error });
    }
    this.embeddings = new EmbeddingSource({
      embedder: options.embedder,
      unavailableReason: options.noEmbedderReason,
      clock: this.clock,
      timeoutMs: options.embedTimeoutMs,
      backoffMs: options.embedBackoffMs,
      logger: options.logger,
    });
  }

  get settings(): CacheSettings {
    return { ...this.current };
  }

  /** Validates and applies a change at once: a lower TTL or limit evicts right away. */
  updateSettings(patch: CacheSettingsPatch): CacheSettings {
    const next = CacheSettings.parse({ ...this.current, ...CacheSettingsPatch.parse(patch) });
    const ttlChanged = next.ttlMs !== this.current.ttlMs;
    this.current = next;
    this.ledger.flush();
    this.db.transaction(() => {
      if (ttlChanged) this.entries.applyTtl(next.ttlMs);
      this.purgeAndEvict(this.clock.now());
    })();
    return this.settings;
  }

  /** The app calls this when an embedding model is installed or removed. */
  setEmbedder(embedder: Embedder | null, unavailableReason?: string): void {
    this.embeddings.set(embedder, unavailableReason);
  }

  /** The installed embedding model semantic matching uses, if any. */
  embeddingModel(): string | undefined {
    return this.embeddings.model;
  }

  /**
   * A prompt's embedding, as the semantic cache makes it (same model, normalisation, time limit and
   * memo: after a lookup of the same prompt this costs nothing), or null when there is none to be
   * had. For the router's learnt floors (issue #11): the model is local, nothing leaves the machine.
   */
  async embedPrompt(text: string, signal?: AbortSignal): Promise<Float32Array | null> {
    const prompt = normalizeText(text).trim();
    if (prompt === '') return null;
    const result = await this.embeddings.embed(prompt, signal);
    return isEmbeddingFailure(result) ? null : result;
  }

  status(): CacheStatus {
    const { enabled } = this.current;
    if (!enabled) return { enabled, exact: 'disabled', semantic: 'disabled', reason: 'the cache is off in settings' };
    if (!this.current.semanticEnabled) {
      return { enabled, exact: 'ready', semantic: 'disabled', reason: 'semantic matching is off in settings' };
    }
    const reason = this.vectorError ?? this.embeddings.unavailableReason();
    const embeddingModel = this.embeddings.model;
    return reason
      ? { enabled, exact: 'ready', semantic: 'unavailable', reason, ...(embeddingModel ? { embeddingModel } : {}) }
      : { enabled, exact: 'ready', semantic: 'ready', embeddingModel };
  }

  async lookup(request: CacheRequest): Promise<LookupResult> {
    throwIfAborted(request.signal);
    if (!this.current.enabled) return { hit: null, reason: 'the cache is off in settings' };
    const refused = requestIneligibility(request, this.current);
    if (refused) {
      this.ledger.count('skipped');
      return { hit: null, reason: refused };
    }
    const exact = this.entries.findExact(exactKey(request), this.clock.now());
    if (exact) return { hit: this.recordHit('exact', exact), reason: 'exact match' };
    const semantic = await this.semanticLookup(request);
    if (semantic.hit) return semantic;
    this.ledger.count('miss');
    return { hit: null, reason: `miss: no exact match; ${semantic.reason}` };
  }

  async store(request: StoreRequest): Promise<StoreResult> {
    throwIfAborted(request.signal);
    if (!this.current.enabled) return notStored('the cache is off in settings');
    const refused = storeIneligibility(request, this.current);
    if (refused) return notStored(refused);
    const key = exactKey(request);
    const semantic = await this.embedForStore(request);
    const prompt = semantic.parts?.prompt ?? normalizeText(lastUserContent(request));
    const guards = serializeGuards(extractGuards(prompt));
    const vectorBytes = semantic.vector ? semantic.vector.length * 4 + Math.ceil(semantic.vector.length / 8) : 0;
    const sizeBytes = Buffer.byteLength(prompt) + Buffer.byteLength(request.text) + Buffer.byteLength(guards) + vectorBytes + ROW_OVERHEAD_BYTES;
    if (sizeBytes > this.current.maxBytes) return notStored(`not stored: ${sizeBytes} bytes is above the cache size limit`);
    const now = this.clock.now();
    this.ledger.flush(); // eviction below orders by recency: the pending hits first
    const entryId = this.db.transaction(() => {
      const previous = this.entries.idOf(key);
      if (previous !== undefined) this.remove([previous]);
      const id = this.entries.insert({
        key, modelKey: request.modelKey, modelId: request.model, modelDigest: request.modelDigest ?? null,
        intent: request.intent ?? null, prompt, guards, response: request.text,
        inputTokens: request.usage?.inputTokens ?? 0, outputTokens: request.usage?.outputTokens ?? 0,
        costUsd: request.costUsd ?? 0, sizeBytes, createdAt: now, ttlMs: this.current.ttlMs,
      });
      if (semantic.vector && semantic.parts && this.vectors) this.vectors.add(id, semantic.parts.scope, semantic.vector);
      this.purgeAndEvict(now);
      return id;
    })();
    const indexed = semantic.vector !== undefined;
    return { stored: true, entryId, semantic: indexed, reason: indexed ? 'stored' : `stored for exact matches only: ${semantic.note}` };
  }

  /**
   * Drops the answers of a model that was removed (no digest) or re-pulled under a new digest
   * (pass the new one: answers of other or unknown digests go). Returns how many were dropped.
   */
  invalidateModel(modelId: string, currentDigest?: string): number {
    const ids = this.entries.idsOfModel(modelId, currentDigest);
    this.db.transaction(() => this.remove(ids))();
    return ids.length;
  }

  /** Models with cached answers whose id starts with `prefix` (`ollama/`): what a model sync checks. */
  cachedModels(prefix = ''): string[] {
    return this.entries.modelIds(prefix);
  }

  /** Empties the cache; the lifetime counters stay (resetStats clears them). */
  clear(): void {
    this.ledger.flush();
    this.db.transaction(() => {
      this.vectors?.clear();
      this.entries.deleteAll();
    })();
  }

  resetStats(): void {
    this.ledger.flush();
    this.entries.resetCounters();
  }

  /** Writes the pending hit counts. The composition root calls it before closing the database. */
  dispose(): void {
    this.ledger.flush();
  }

  /** Deletes expired entries (stores do it as they go); returns how many. */
  purgeExpired(): number {
    this.ledger.flush();
    const before = this.entries.totals().entries;
    this.db.transaction(() => this.purgeAndEvict(this.clock.now()))();
    return before - this.entries.totals().entries;
  }

  stats(): CacheStats {
    this.ledger.flush();
    const totals = this.entries.totals();
    const byKind = { exact: { hits: 0, tokensSaved: 0, usdSaved: 0 }, semantic: { hits: 0, tokensSaved: 0, usdSaved: 0 } };
    let misses = 0;
    let skipped = 0;
    for (const row of this.entries.counters()) {
      if (row.kind === 'miss') misses = row.count;
      else if (row.kind === 'skipped') skipped = row.count;
      else byKind[row.kind] = { hits: row.count, tokensSaved: row.tokens_saved, usdSaved: row.usd_saved };
    }
    const hits = byKind.exact.hits + byKind.semantic.hits;
    return {
      entries: totals.entries,
      bytes: totals.bytes,
      hits,
      misses,
      skipped,
      hitRate: hits + misses === 0 ? 0 : hits / (hits + misses),
      tokensSaved: byKind.exact.tokensSaved + byKind.semantic.tokensSaved,
      usdSaved: byKind.exact.usdSaved + byKind.semantic.usdSaved,
      byKind,
    };
  }

  private semanticUnavailable(): string | undefined {
    if (!this.current.semanticEnabled) return 'semantic matching is off in settings';
    return this.vectorError ?? this.embeddings.unavailableReason();
  }

  /** The prompt and scope to match by meaning, or why this request is matched exactly only. */
  private semanticPartsOf(request: CacheRequest): SemanticParts | string {
    const unavailable = this.semanticUnavailable();
    if (unavailable) return `semantic matching unavailable: ${unavailable}`;
    const parts = semanticParts(request, this.embeddings.model ?? '');
    if (!parts) return 'the conversation does not end with a user prompt';
    if (parts.prompt.length > SEMANTIC_MAX_CHARS) return `the prompt is longer than ${SEMANTIC_MAX_CHARS} characters`;
    return parts;
  }

  private async semanticLookup(request: CacheRequest): Promise<{ hit: CacheHit | null; reason: string }> {
    const parts = this.semanticPartsOf(request);
    if (typeof parts === 'string') return { hit: null, reason: parts };
    const vectors = this.vectors;
    if (!vectors) return { hit: null, reason: this.vectorError ?? 'sqlite-vec is not loaded' }; // semanticPartsOf said so already
    const vector = await this.embeddings.embed(parts.prompt, request.signal);
    if (isEmbeddingFailure(vector)) return { hit: null, reason: vector.error };
    const { threshold, candidates } = this.current;
    const neighbours = vectors.nearest(parts.scope, vector, { k: candidates });
    const guards = extractGuards(parts.prompt);
    const now = this.clock.now();
    let rejected: string | undefined;
    for (const n of neighbours) {
      if (n.similarity < threshold) break;
      const row = this.entries.findLive(n.entryId, now);
      if (!row) continue;
      const mismatch = guardMismatch(guards, parseGuards(row.guards));
      if (mismatch) {
        rejected ??= `the closest cached prompt (similarity ${n.similarity.toFixed(3)}) differs in ${GUARD_LABELS[mismatch]}`;
        continue;
      }
      const similarity = Math.min(1, n.similarity);
      return { hit: this.recordHit('semantic', row, similarity), reason: `semantic match (similarity ${similarity.toFixed(3)})` };
    }
    if (rejected) return { hit: null, reason: rejected };
    const best = neighbours[0];
    return {
      hit: null,
      reason: best
        ? `the most similar cached prompt (${best.similarity.toFixed(3)}) is below ${threshold}`
        : 'no similar prompt cached',
    };
  }

  private async embedForStore(request: StoreRequest): Promise<{ parts?: SemanticParts; vector?: Float32Array; note: string }> {
    const parts = this.semanticPartsOf(request);
    if (typeof parts === 'string') return { note: parts };
    const vector = await this.embeddings.embed(parts.prompt, request.signal);
    return isEmbeddingFailure(vector) ? { parts, note: vector.error } : { parts, vector, note: '' };
  }

  private recordHit(kind: CacheKind, row: EntryRow, similarity?: number): CacheHit {
    const savedTokens = row.input_tokens + row.output_tokens;
    this.ledger.hit(row.id, kind, savedTokens, row.cost_usd, this.clock.now());
    return {
      kind, entryId: row.id, text: row.response, model: row.model_id,
      ...(similarity === undefined ? {} : { similarity }),
      savedUsd: row.cost_usd, savedTokens,
    };
  }

  /** Inside a transaction: expired entries first, then least recently used until within the limits. */
  private purgeAndEvict(now: number): void {
    for (let ids = this.entries.expiredIds(now, EVICT_BATCH); ids.length > 0; ids = this.entries.expiredIds(now, EVICT_BATCH)) {
      this.remove(ids);
    }
    let { entries, bytes } = this.entries.totals();
    const { maxEntries, maxBytes } = this.current;
    while (entries > maxEntries || bytes > maxBytes) {
      const victims: number[] = [];
      for (const v of this.entries.leastRecentlyUsed(EVICT_BATCH)) {
        if (entries <= maxEntries && bytes <= maxBytes) break;
        victims.push(v.id);
        entries -= 1;
        bytes -= v.size_bytes;
      }
      if (victims.length === 0) break;
      this.remove(victims);
    }
  }

  private remove(ids: readonly number[]): void {
    this.vectors?.remove(ids);
    this.entries.deleteIds(ids);
  }
}

function notStored(reason: string): StoreResult {
  return { stored: false, semantic: false, reason };
}

function lastUserContent(request: CacheRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const m = request.messages[i];
    if (m?.role === 'user') return m.content;
  }
  return '';
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SwitchboardError('cancelled', 'The request was stopped.');
}
