import type { Settings, Tier } from '../../shared/contract';
import { SwitchboardError, serializeError } from '../../shared/errors';
import type { Logger } from '../logger';
import { ollamaHostProviderId, type OllamaHostConfig, type PoolModelList } from './ollama/ollama-host-pool';
import { OllamaProvider } from './ollama/ollama-provider';
import type { ProviderRegistry } from './registry';

/** Requests at once on an extra Ollama host when Settings name none (one GPU, OLLAMA_NUM_PARALLEL). */
export const DEFAULT_OLLAMA_HOST_CONCURRENCY = 2;

export interface OllamaHostsDeps {
  /** Settings' `ollamaHosts`, and `networkHosts` for their tier (the SettingsService in the app). */
  settings: { get(): Pick<Settings, 'ollamaHosts' | 'networkHosts'> & Partial<Pick<Settings, 'ollamaKeepAlive'>>; update(patch: Pick<Settings, 'ollamaHosts'>): unknown };
  registry: ProviderRegistry;
  setConcurrency(providerId: string, slots: number): void;
  /** The guarded fetch, tagged with the provider id for the outbound log. */
  fetch(providerId: string): typeof fetch | undefined;
  /** Provider ids already used by something else (built-ins, custom endpoints). */
  taken(providerId: string): boolean;
  enabled(providerId: string): boolean;
  logger: Logger;
}

/**
 * Ollama servers besides the primary one (a GPU box on the LAN), from Settings: one OllamaProvider
 * each, registered as `ollama-<name>` with its own concurrency. `sync()` is cheap and idempotent.
 */
export class OllamaHosts {
  private readonly hosts = new Map<string, { config: OllamaHostConfig; provider: OllamaProvider }>();

  constructor(private readonly d: OllamaHostsDeps) {}

  /** Registers a provider per configured host, unregisters removed ones, applies concurrency. */
  sync(): void {
    const seen = new Set<string>();
    for (const config of this.d.settings.get().ollamaHosts) {
      const id = safeHostId(config.name);
      // A name without letters or digits cannot be a provider id (add() refuses it).
      if (id === null || seen.has(id) || this.d.taken(id)) continue;
      seen.add(id);
      const known = this.hosts.get(id);
      if (known) known.config = config;
      else {
        const entry = { config } as { config: OllamaHostConfig; provider: OllamaProvider };
        entry.provider = new OllamaProvider({
          id, host: () => entry.config.url, fetch: this.d.fetch(id), networkHosts: () => this.d.settings.get().networkHosts,
          keepAlive: () => this.d.settings.get().ollamaKeepAlive ?? undefined,
        });
        this.hosts.set(id, entry);
        this.d.registry.register(entry.provider);
      }
      this.d.setConcurrency(id, config.maxConcurrent ?? DEFAULT_OLLAMA_HOST_CONCURRENCY);
    }
    for (const id of [...this.hosts.keys()]) {
      if (seen.has(id)) continue;
      this.hosts.delete(id);
      this.d.registry.unregister(id);
    }
  }

  has(providerId: string): boolean {
    return this.hosts.has(providerId);
  }

  /** A host's tier: local only on this machine or a host marked as on the user's network. */
  tierOf(providerId: string): Tier | undefined {
    return this.hosts.get(providerId)?.provider.tier();
  }

  list(): Array<OllamaHostConfig & { id: string }> {
    return [...this.hosts].map(([id, { config }]) => ({ ...config, id }));
  }

  /** Every host's installed models, in parallel; a host that is down (or switched off) contributes none. */
  async models(timeoutMs = 5000): Promise<PoolModelList> {
    const entries = [...this.hosts.entries()].filter(([id]) => this.d.enabled(id));
    const results = await Promise.allSettled(entries.map(([, e]) => e.provider.listModels(AbortSignal.timeout(timeoutMs))));
    const out: PoolModelList = { models: [], errors: [] };
    results.forEach((r, i) => {
      const [id, { provider }] = entries[i]!;
      if (r.status === 'fulfilled') out.models.push(...r.value);
      else out.errors.push({ providerId: id, host: provider.host, error: serializeError(r.reason) });
    });
    for (const e of out.errors) this.d.logger.warn('an Ollama host could not be listed', { provider: e.providerId, host: e.host, error: e.error.message });
    return out;
  }

  /** Adds a host to Settings and registers it; returns its provider id. */
  add(input: OllamaHostConfig): string {
    const name = input.name.trim();
    const id = ollamaHostProviderId(name);
    const hosts = this.d.settings.get().ollamaHosts;
    if (hosts.some((h) => safeHostId(h.name) === id)) {
      throw new SwitchboardError('conflict', `There is already an Ollama host called "${name}". Pick another name.`, { details: { id } });
    }
    if (this.d.taken(id) || this.d.registry.get(id)) {
      throw new SwitchboardError('conflict', `"${name}" would be provider "${id}", which already exists. Pick another name.`, { details: { id } });
    }
    const config: OllamaHostConfig = { name, url: input.url.replace(/\/+$/, '') };
    if (input.maxConcurrent !== undefined) config.maxConcurrent = input.maxConcurrent;
    this.d.settings.update({ ollamaHosts: [...hosts, config] });
    this.sync();
    return id;
  }

  remove(name: string): boolean {
    const hosts = this.d.settings.get().ollamaHosts;
    const id = safeHostId(name);
    const remaining = hosts.filter((h) => h.name !== name && (id === null || safeHostId(h.name) !== id));
    if (remaining.length === hosts.length) return false;
    this.d.settings.update({ ollamaHosts: remaining });
    this.sync();
    return true;
  }
}

function safeHostId(name: string): string | null {
  try {
    return ollamaHostProviderId(name);
  } catch {
    return null;
  }
}
