import type { CustomEndpoint, ModelInfo } from '../../shared/contract';
import type { Logger } from '../logger';
import { hostReach } from '../../shared/host-address';
import type { ProviderRegistry } from './registry';

const TTL_MS = 30_000;
/** An endpoint that did not answer is asked again after this long (a machine that is off would otherwise cost every read 3 s). */
const FAILED_TTL_MS = 15_000;
const TIMEOUT_MS = 3_000;

interface Entry {
  baseUrl: string;
  at: number;
  failed: boolean;
  models: ModelInfo[];
  pending: Promise<ModelInfo[]> | null;
}

/**
 * What the user's OpenAI-compatible endpoints (LM Studio, vLLM, llama.cpp server, a team's
 * gateway) serve: read from each endpoint's `GET /models`, kept for 30 s so the picker, the catalog
 * and the council form do not ask on every render. An endpoint that does not answer within 3 s
 * lists nothing for 15 s (Settings → Providers → Test asks it again at once); in offline mode only
 * endpoints on this machine or on a host marked as on the user's network are asked.
 */
export class CustomEndpointModels {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly o: { registry: ProviderRegistry; logger: Logger; ttlMs?: number; failedTtlMs?: number; timeoutMs?: number; now?: () => number }) {
    this.now = o.now ?? Date.now;
  }

  /** The models of each endpoint, in the order given; endpoints that cannot be asked list none. `networkHosts`: Settings → Network's. */
  async list(endpoints: readonly CustomEndpoint[], offline: boolean, networkHosts: readonly string[] = []): Promise<ModelInfo[]> {
    const asked = endpoints.filter((e) => !offline || hostReach(e.baseUrl, networkHosts) !== 'remote');
    const lists = await Promise.all(asked.map((e) => this.modelsOf(e)));
    return lists.flat();
  }

  /** Forget an endpoint (removed, or its URL changed) so the next read asks it again. */
  forget(id: string): void {
    this.entries.delete(id);
  }

  private modelsOf(endpoint: CustomEndpoint): Promise<ModelInfo[]> {
    const entry = this.entries.get(endpoint.id);
    if (entry && entry.baseUrl === endpoint.baseUrl) {
      if (entry.pending) return entry.pending;
      const ttl = entry.failed ? (this.o.failedTtlMs ?? FAILED_TTL_MS) : (this.o.ttlMs ?? TTL_MS);
      if (this.now() - entry.at < ttl) return Promise.resolve(entry.models);
    }
    const provider = this.o.registry.get(endpoint.id);
    if (!provider) return Promise.resolve([]);
    const next: Entry = { baseUrl: endpoint.baseUrl, at: this.now(), failed: false, models: [], pending: null };
    next.pending = provider.listModels(AbortSignal.timeout(this.o.timeoutMs ?? TIMEOUT_MS)).then(
      (models) => {
        next.models = models;
        next.at = this.now();
        next.pending = null;
        return models;
      },
      (error: unknown) => {
        this.o.logger.warn('a custom endpoint did not list its models', { endpoint: endpoint.id, error: error instanceof Error ? error.message : String(error) });
        // Nothing to offer from it now (not an old list it may no longer serve).
        next.models = [];
        next.failed = true;
        next.at = this.now();
        next.pending = null;
        return [];
      },
    );
    this.entries.set(endpoint.id, next);
    return next.pending;
  }
}
