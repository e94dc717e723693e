import type { Logger } from '../logger';
import type { CacheService } from './cache-service';
import type { Embedder } from './types';

/** One installed local model as Ollama's /api/tags lists it. */
export interface InstalledLocalModel {
  name: string;
  digest: string;
}

export interface LocalModelSyncOptions {
  cache: CacheService;
  /** Provider id of the local models (`ollama`): model ids are `<provider>/<name>`. */
  provider: string;
  /** /api/tags: names and digests. Throws when Ollama cannot be asked. */
  listInstalled(signal?: AbortSignal): Promise<InstalledLocalModel[]>;
  /** /api/show `capabilities` of one model (`completion`, `embedding` …). */
  capabilities(name: string, signal?: AbortSignal): Promise<string[]>;
  /** The embedder for an installed model. */
  embedder(name: string): Embedder | null;
  /** Why semantic matching cannot run while Ollama does not answer. */
  unreachableReason?: () => string;
  /** A refresh within this many ms of the last one is skipped (the chat path asks before every lookup). */
  maxAgeMs?: number;
  now?: () => number;
  logger?: Logger;
}

/**
 * The embedding models issue #6 prefers, best first: nomic-embed-text (768-d, 2K context, the
 * smallest good one) then mxbai-embed-large; after them any installed model whose /api/show
 * capabilities include `embedding`.
 */
export const PREFERRED_EMBEDDING_MODELS = ['nomic-embed-text', 'mxbai-embed-large'];

const TIMEOUT_MS = 5_000;

/**
 * Keeps the cache in step with the local models: picks the embedding model among the installed
 * ones (none → exact matching only, and the cache's status says "pull nomic-embed-text"), and drops
 * cached answers of a model that was removed or re-pulled under another digest. It reads Ollama
 * itself, so a model removed in a terminal (`ollama rm`) is noticed as well as one deleted in the app.
 */
export class LocalModelSync {
  private readonly digests = new Map<string, string>();
  private readonly capabilitiesByDigest = new Map<string, string[]>();
  private embedding: string | null | undefined;
  private refreshedAt = -Infinity;
  private running: Promise<void> | null = null;
  /** A forced refresh asked for while one was under way (it may have read the list before the change). */
  private again: Promise<void> | null = null;
  private disposed = false;
  private readonly now: () => number;

  constructor(private readonly options: LocalModelSyncOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The installed model's digest (`ollama/llama3.2:3b` → `sha256…`), when it is known. */
  digestOf(modelId: string): string | undefined {
    return this.digests.get(modelId);
  }

  get embeddingModel(): string | null {
    return this.embedding ?? null;
  }

  /** Reads the installed models again (at most every `maxAgeMs` unless forced). Never throws. */
  refresh(force = false): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.running) {
      if (!force) return this.running;
      // Something changed (a pull, a delete) while a read was under way: read once more after it.
      this.again ??= this.running.then(() => {
        this.again = null;
        return this.refresh(true);
      });
      return this.again;
    }
    if (!force && this.now() - this.refreshedAt < (this.options.maxAgeMs ?? 10_000)) return Promise.resolve();
    this.running = this.sync()
      .catch((error: unknown) => this.options.logger?.warn('cache: local model sync failed', { error }))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** No more syncs; resolves once one under way has ended (it writes to the database). */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.running;
  }

  private async sync(): Promise<void> {
    const { options } = this;
    // Set before asking, so an Ollama that does not answer is asked again only after maxAgeMs.
    this.refreshedAt = this.now();
    let installed: InstalledLocalModel[];
    try {
      installed = await options.listInstalled(AbortSignal.timeout(TIMEOUT_MS));
    } catch (error) {
      // Ollama is down: keep what we knew (its models are not gone), and retry on the next refresh.
      options.logger?.debug('cache: local models not read', { error: error instanceof Error ? error.message : String(error) });
      if (this.embedding === undefined) {
        this.embedding = null;
        options.cache.setEmbedder(null, options.unreachableReason?.());
      }
      return;
    }
    if (this.disposed) return;
    this.digests.clear();
    for (const m of installed) this.digests.set(this.idOf(m.name), m.digest);
    this.invalidateStale();
    await this.pickEmbedder(installed);
  }

  /** Drops answers of models that are gone, or whose digest is not the installed one. */
  private invalidateStale(): void {
    const { cache, provider } = this.options;
    let dropped = 0;
    for (const modelId of cache.cachedModels(`${provider}/`)) {
      const digest = this.digests.get(modelId);
      dropped += digest === undefined ? cache.invalidateModel(modelId) : cache.invalidateModel(modelId, digest);
    }
    if (dropped > 0) this.options.logger?.info('cache: dropped answers of removed or changed local models', { dropped });
  }

  private async pickEmbedder(installed: InstalledLocalModel[]): Promise<void> {
    const base = (name: string) => (name.split(':')[0] ?? name).split('/').at(-1) ?? name;
    let chosen: string | null = null;
    for (const wanted of PREFERRED_EMBEDDING_MODELS) {
      chosen = installed.find((m) => base(m.name) === wanted)?.name ?? null;
      if (chosen) break;
    }
    if (!chosen) {
      for (const m of installed) {
        if ((await this.capabilitiesOf(m)).includes('embedding')) {
          chosen = m.name;
          break;
        }
      }
    }
    if (chosen === this.embedding) return;
    this.embedding = chosen;
    this.options.cache.setEmbedder(chosen ? this.options.embedder(chosen) : null);
    this.options.logger?.info('cache: embedding model', { model: chosen ?? 'none: exact matching only' });
  }

  private async capabilitiesOf(model: InstalledLocalModel): Promise<string[]> {
    const known = this.capabilitiesByDigest.get(model.digest);
    if (known) return known;
    try {
      const caps = await this.options.capabilities(model.name, AbortSignal.timeout(TIMEOUT_MS));
      this.capabilitiesByDigest.set(model.digest, caps);
      return caps;
    } catch (error) {
      this.options.logger?.debug('cache: capabilities not read', { model: model.name, error: error instanceof Error ? error.message : String(error) });
      return [];
    }
  }

  private idOf(name: string): string {
    return `${this.options.provider}/${name}`;
  }
}
