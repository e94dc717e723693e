import type { ModelInfo, OllamaHostInput } from '../../../shared/contract';
import { SwitchboardError, serializeError } from '../../../shared/errors';
import { formatModelId } from '../../../shared/model-id';
import { OllamaProvider } from './ollama-provider';

/** A named Ollama server besides the primary one (a GPU box on the LAN). */
/** Another Ollama server, as Settings.ollamaHosts stores it: the contract's OllamaHostInput. */
export type OllamaHostConfig = OllamaHostInput;

export interface OllamaHostPoolOptions {
  /** The primary host (Settings' ollamaHost), read on every call; its models stay `ollama/<model>`. */
  primary: () => string;
  /** The extra hosts, read on every call (Settings). */
  hosts?: () => OllamaHostConfig[];
  fetch?: typeof fetch;
  /** Slots for the primary host. */
  primaryMaxConcurrent?: number;
}

export interface PoolModelList {
  models: ModelInfo[];
  /** Hosts that could not be listed; the others still count. */
  errors: Array<{ providerId: string; host: string; error: ReturnType<typeof serializeError> }>;
}

/** `ollama-<slug>`, the provider id of a named host. */
export function ollamaHostProviderId(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!slug) throw new SwitchboardError('invalid_input', `"${name}" cannot name an Ollama host: use letters or digits.`);
  return `ollama-${slug}`;
}

/**
 * Several Ollama servers as providers: `ollama` is the primary host (so `ollama/<model>` ids keep
 * working), every named host is `ollama-<name>`. Each is an OllamaProvider of its own, so each gets
 * its own concurrency limiter and breaker keys in the reliability layer. Register `providers()`
 * into the ProviderRegistry again after the hosts change in Settings.
 */
export class OllamaHostPool {
  readonly primary: OllamaProvider;
  private readonly extra = new Map<string, { provider: OllamaProvider; config: OllamaHostConfig }>();

  constructor(private readonly options: OllamaHostPoolOptions) {
    this.primary = new OllamaProvider({ host: options.primary, fetch: options.fetch, id: 'ollama' });
  }

  /** The primary provider and one per configured host, reusing providers whose host is unchanged. */
  providers(): OllamaProvider[] {
    const seen = new Set<string>();
    for (const config of this.options.hosts?.() ?? []) {
      const id = ollamaHostProviderId(config.name);
      if (id === this.primary.id || seen.has(id)) throw new SwitchboardError('invalid_input', `Two Ollama hosts are named "${config.name}".`);
      seen.add(id);
      const known = this.extra.get(id);
      if (known) known.config = config;
      else this.extra.set(id, this.hostEntry(id, config));
    }
    for (const id of [...this.extra.keys()]) if (!seen.has(id)) this.extra.delete(id);
    return [this.primary, ...[...this.extra.values()].map((e) => e.provider)];
  }

  private hostEntry(id: string, config: OllamaHostConfig): { provider: OllamaProvider; config: OllamaHostConfig } {
    const entry = { config };
    // The provider reads the entry's current URL, so an edited URL needs no new provider.
    const provider = new OllamaProvider({ host: () => entry.config.url, fetch: this.options.fetch, id });
    return Object.assign(entry, { provider });
  }

  /** Slots per provider id for the reliability layer (`concurrency.perProvider`). */
  concurrency(): Record<string, number> {
    const out: Record<string, number> = {};
    if (this.options.primaryMaxConcurrent) out[this.primary.id] = this.options.primaryMaxConcurrent;
    for (const [id, { config }] of this.extra) if (config.maxConcurrent) out[id] = config.maxConcurrent;
    return out;
  }

  /** Every host's models, listed in parallel; a host that is down is reported, not fatal. */
  async listModels(signal?: AbortSignal): Promise<PoolModelList> {
    const providers = this.providers();
    const results = await Promise.allSettled(providers.map((p) => p.listModels(signal)));
    const out: PoolModelList = { models: [], errors: [] };
    results.forEach((r, i) => {
      const provider = providers[i]!;
      if (r.status === 'fulfilled') out.models.push(...r.value);
      else out.errors.push({ providerId: provider.id, host: provider.host, error: serializeError(r.reason) });
    });
    return out;
  }

  /** Model ids for `model` on every host that has it, primary first: candidates for the reliability layer. */
  async locate(model: string, signal?: AbortSignal): Promise<string[]> {
    const { models } = await this.listModels(signal);
    const order = new Map(this.providers().map((p, i) => [p.id, i]));
    return models
      .filter((m) => m.name === model)
      .sort((a, b) => (order.get(a.provider) ?? 99) - (order.get(b.provider) ?? 99))
      .map((m) => formatModelId(m.provider, m.name));
  }
}
