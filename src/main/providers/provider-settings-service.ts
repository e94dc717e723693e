import type { CustomEndpoint, ModelInfo, ProviderStatus, Settings, Tier } from '../../shared/contract';
import { SwitchboardError, serializeError } from '../../shared/errors';
import { hostReach, tierAt, type HostReach } from '../../shared/host-address';
import type { Logger } from '../logger';
import type { RateLimitObserver } from '../runner';
import type { SecretStore } from '../secrets/secret-store';
import { AnthropicProvider, ANTHROPIC_DEFAULT_BASE_URL } from './anthropic';
import { CustomEndpointModels } from './custom-endpoint-models';
import type { OllamaHostConfig, PoolModelList } from './ollama/ollama-host-pool';
import type { OllamaProvider } from './ollama/ollama-provider';
import { OllamaHosts } from './ollama-hosts';
import { OPENAI_COMPATIBLE_PRESETS, OpenAICompatibleProvider, customPreset, type OpenAICompatiblePresetId } from './openai';
import type { ProviderRegistry } from './registry';

const CLOUD_IDS = Object.keys(OPENAI_COMPATIBLE_PRESETS) as OpenAICompatiblePresetId[];

const BUILT_IN_NAMES: Record<string, string> = { ollama: 'Ollama', anthropic: 'Anthropic', ...Object.fromEntries(CLOUD_IDS.map((id) => [id, OPENAI_COMPATIBLE_PRESETS[id].displayName])) };

/** The part of Settings the providers read and write (the SettingsService in the app). */
export interface ProviderSettingsStore {
  get(): Pick<Settings, 'providers' | 'customEndpoints' | 'ollamaHosts' | 'networkHosts'>;
  update(patch: Partial<Pick<Settings, 'providers' | 'customEndpoints' | 'ollamaHosts'>>): unknown;
}

export interface ProviderSettingsDeps {
  /** Filled here: the primary Ollama, the OpenAI-compatible clouds, Anthropic, user endpoints, extra Ollama hosts. */
  registry: ProviderRegistry;
  settings: ProviderSettingsStore;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  /** The primary Ollama host (also used by setup and the cache, so the app builds it). */
  ollama: OllamaProvider;
  /** Where providers report rate-limit headers (the reliability layer's tracker). */
  rateLimits: RateLimitObserver;
  /** Slots for an extra Ollama host (the reliability layer's concurrency limit). */
  setConcurrency(providerId: string, slots: number): void;
  /** The catalog's output cap of a model (`anthropic/…`), when it lists one. */
  maxOutputTokens(modelId: string): number | undefined;
  /** The one guarded fetch every provider uses. */
  fetch?: typeof fetch;
  logger: Logger;
}

/** The guarded fetch tagged with the provider, so the outbound log names it whatever its base URL is. */
function taggedFetch(f: typeof fetch | undefined, purpose: string): typeof fetch | undefined {
  const guarded = f as (typeof fetch & { forPurpose?: (purpose: string) => typeof fetch }) | undefined;
  return guarded?.forPurpose ? guarded.forPurpose(purpose) : f;
}

/**
 * The providers as Settings → Providers and Settings → Ollama describe them: registers every
 * provider in the registry, and owns what the user changes about them (switched on or off, base
 * URLs, OpenAI-compatible endpoints, extra Ollama hosts).
 */
export class ProviderSettingsService {
  /** The extra Ollama hosts by provider id; each provider reads its entry's current URL. */
  private readonly ollamaHosts: OllamaHosts;
  /** The models the user's OpenAI-compatible endpoints serve (listed live, kept briefly). */
  private readonly customModels: CustomEndpointModels;
  private readonly log: Logger;

  constructor(private readonly d: ProviderSettingsDeps) {
    this.log = d.logger.child('providers');
    const { registry, secrets, env, rateLimits } = d;
    registry.register(d.ollama);
    for (const id of CLOUD_IDS) {
      registry.register(
        new OpenAICompatibleProvider({ preset: id, getKey: () => secrets.get(id), fetch: taggedFetch(d.fetch, id), env, baseUrl: () => this.baseUrlSetting(id) ?? '', rateLimits, logger: this.log }),
      );
    }
    registry.register(
      new AnthropicProvider({
        getKey: () => secrets.get('anthropic'),
        fetch: taggedFetch(d.fetch, 'anthropic'),
        env,
        baseUrl: () => this.baseUrlSetting('anthropic'),
        rateLimits,
        logger: this.log,
        maxOutputTokens: (m) => d.maxOutputTokens(`anthropic/${m}`),
      }),
    );
    for (const endpoint of this.customEndpoints()) this.registerCustom(endpoint);
    registry.setGate((id) => (this.enabled(id) ? null : `${this.nameOf(id)} is switched off in Settings → Providers.`));
    this.ollamaHosts = new OllamaHosts({
      settings: d.settings,
      registry,
      setConcurrency: d.setConcurrency,
      fetch: (id) => taggedFetch(d.fetch, id),
      taken: (id) => !!BUILT_IN_NAMES[id] || this.customEndpoints().some((c) => c.id === id),
      enabled: (id) => this.enabled(id),
      logger: d.logger,
    });
    this.ollamaHosts.sync();
    this.customModels = new CustomEndpointModels({ registry, logger: this.log });
  }

  /** Re-reads the extra Ollama hosts from Settings (see OllamaHosts.sync). */
  syncOllamaHosts(): void {
    this.ollamaHosts.sync();
  }

  /** The extra hosts as configured, with their provider ids. */
  extraOllamaHosts(): Array<OllamaHostConfig & { id: string }> {
    return this.ollamaHosts.list();
  }

  /** Every extra host's installed models; a host that is down is reported, never thrown. */
  extraOllamaModels(timeoutMs = 5000): Promise<PoolModelList> {
    return this.ollamaHosts.models(timeoutMs);
  }

  /**
   * What the switched-on OpenAI-compatible endpoints serve (in offline mode, only those on this
   * machine or a host on the user's network), each at the tier its address allows.
   */
  async endpointModels(offline: boolean): Promise<ModelInfo[]> {
    const models = await this.customModels.list(
      this.customEndpoints().filter((c) => this.enabled(c.id)),
      offline,
      this.d.settings.get().networkHosts,
    );
    return models.map((m) => ({ ...m, tier: this.ownTier(m.provider) ?? m.tier }));
  }

  /** What a model can do, when its provider says (Ollama's /api/show); null when it does not. */
  async capabilities(modelId: string, signal?: AbortSignal): Promise<string[] | null> {
    const { provider, model } = this.d.registry.resolve(modelId);
    return provider.capabilities ? provider.capabilities(model, signal) : null;
  }

  /** Where a URL is: this machine, a host the user marked as on their network (Settings → Network), or remote. */
  reachOf(url: string): HostReach {
    return hostReach(url, this.d.settings.get().networkHosts);
  }

  /**
   * The tier of the user's own servers — a custom endpoint, the primary or an extra Ollama host —
   * as their address allows: `local` only on this machine or a host on the user's network, never
   * inferred for any other address (issue #16). Undefined for the built-in clouds.
   */
  ownTier(providerId: string): Tier | undefined {
    const endpoint = this.customEndpoints().find((c) => c.id === providerId);
    if (endpoint) return tierAt(endpoint.tier, this.reachOf(endpoint.baseUrl));
    if (providerId === this.d.ollama.id) return this.d.ollama.tier();
    return this.ollamaHosts.tierOf(providerId);
  }

  enabled(providerId: string): boolean {
    return this.d.settings.get().providers[providerId]?.enabled ?? true;
  }

  /** The name the user knows a provider by (`DeepSeek`, `Anthropic`); its id when it has none. */
  nameOf(providerId: string): string {
    return BUILT_IN_NAMES[providerId] ?? providerId;
  }

  /** The base URL a built-in cloud provider uses now (Settings, else its env variable, else its own). */
  baseUrl(id: OpenAICompatiblePresetId): string {
    return (this.d.registry.get(id) as OpenAICompatibleProvider).baseUrl;
  }

  customEndpoints(): Settings['customEndpoints'] {
    return this.d.settings.get().customEndpoints;
  }

  async list(): Promise<ProviderStatus[]> {
    const { env, secrets } = this.d;
    const out: ProviderStatus[] = [];
    out.push(this.status('ollama', 'ollama', this.d.ollama.tier(), this.d.ollama.host, env.OLLAMA_HOST ? 'env' : 'default', null));
    for (const { id, ...config } of this.ollamaHosts.list()) {
      out.push({ id, name: `Ollama (${config.name})`, kind: 'ollama', tier: this.ownTier(id) ?? 'paid', enabled: this.enabled(id), baseUrl: config.url, baseUrlSource: 'settings', key: null, builtIn: false });
    }
    for (const id of CLOUD_IDS) {
      const preset = OPENAI_COMPATIBLE_PRESETS[id];
      const source = this.baseUrlSetting(id) ? 'settings' : env[preset.baseUrlEnv] ? 'env' : 'default';
      out.push(this.status(id, 'openai-compatible', preset.tier, this.baseUrl(id), source, await secrets.status(id)));
    }
    const anthropic = this.d.registry.get('anthropic') as AnthropicProvider;
    const aSource = this.baseUrlSetting('anthropic') ? 'settings' : env.ANTHROPIC_BASE_URL ? 'env' : 'default';
    out.push(this.status('anthropic', 'anthropic', 'paid', anthropic.baseUrl || ANTHROPIC_DEFAULT_BASE_URL, aSource, await secrets.status('anthropic')));
    for (const c of this.customEndpoints()) {
      const key = await secrets.customStatus(c.id);
      out.push({ id: c.id, name: c.name, kind: 'custom', tier: tierAt(c.tier, this.reachOf(c.baseUrl)), enabled: this.enabled(c.id), baseUrl: c.baseUrl, baseUrlSource: 'settings', key: { ...key, envVar: null }, builtIn: false });
    }
    return out;
  }

  async update(input: { id: string; enabled?: boolean; baseUrl?: string | null }): Promise<ProviderStatus> {
    this.requireKnown(input.id);
    if (input.baseUrl !== undefined && (input.id === 'ollama' || this.ollamaHosts.has(input.id))) {
      throw new SwitchboardError('invalid_input', 'Set Ollama hosts in Settings → Ollama.');
    }
    const current = this.d.settings.get().providers;
    const entry = { ...current[input.id] };
    if (input.enabled !== undefined) entry.enabled = input.enabled;
    if (input.baseUrl !== undefined) entry.baseUrl = input.baseUrl;
    this.d.settings.update({ providers: { ...current, [input.id]: entry } });
    return this.statusOf(input.id);
  }

  /** Lists the provider's models with the current key and URL: no tokens are spent. */
  async test(id: string): Promise<{ ok: boolean; latencyMs: number; modelCount: number; error: ReturnType<typeof serializeError> | null }> {
    const provider = this.requireKnown(id);
    const started = Date.now();
    try {
      const models = await provider.listModels(AbortSignal.timeout(15_000));
      this.customModels.forget(id); // a custom endpoint that answers now is listed again at once
      return { ok: true, latencyMs: Date.now() - started, modelCount: models.length, error: null };
    } catch (error) {
      return { ok: false, latencyMs: Date.now() - started, modelCount: 0, error: serializeError(error) };
    }
  }

  async addCustom(input: CustomEndpoint & { apiKey?: string }): Promise<ProviderStatus> {
    if (BUILT_IN_NAMES[input.id] || this.customEndpoints().some((c) => c.id === input.id) || this.ollamaHosts.has(input.id)) {
      throw new SwitchboardError('conflict', `There is already a provider called "${input.id}". Pick another id.`);
    }
    if (input.tier === 'local' && this.reachOf(input.baseUrl) === 'remote') {
      const host = safeHost(input.baseUrl);
      throw new SwitchboardError(
        'invalid_input',
        `"Local" is only for an endpoint on this computer or on a host you marked as on your network (Settings → Network); ${host} is neither, so requests to it leave this computer. Pick Free cloud or Paid cloud, or mark the host first.`,
        { details: { field: 'tier', host } },
      );
    }
    if (input.apiKey) await this.d.secrets.setCustom(input.id, input.apiKey);
    const endpoint: CustomEndpoint = { id: input.id, name: input.name, baseUrl: input.baseUrl.replace(/\/+$/, ''), tier: input.tier };
    this.d.settings.update({ customEndpoints: [...this.customEndpoints(), endpoint] });
    this.registerCustom(endpoint);
    return this.statusOf(input.id);
  }

  async removeCustom(id: string): Promise<boolean> {
    const remaining = this.customEndpoints().filter((c) => c.id !== id);
    if (remaining.length === this.customEndpoints().length) return false;
    this.d.settings.update({ customEndpoints: remaining });
    await this.d.secrets.deleteCustom(id);
    this.d.registry.unregister(id);
    this.customModels.forget(id);
    return true;
  }

  /** Adds an Ollama server besides the primary one; its models become `ollama-<name>/<model>`. */
  async addOllamaHost(input: OllamaHostConfig): Promise<ProviderStatus> {
    return this.statusOf(this.ollamaHosts.add(input));
  }

  async removeOllamaHost(name: string): Promise<boolean> {
    return this.ollamaHosts.remove(name);
  }

  private registerCustom(endpoint: CustomEndpoint): void {
    this.d.registry.register(
      new OpenAICompatibleProvider({
        preset: customPreset({ id: endpoint.id, displayName: endpoint.name, baseUrl: endpoint.baseUrl, tier: endpoint.tier }),
        getKey: () => this.d.secrets.getCustom(endpoint.id),
        fetch: taggedFetch(this.d.fetch, endpoint.id),
        rateLimits: this.d.rateLimits,
        logger: this.log,
      }),
    );
  }

  private baseUrlSetting(id: string): string | null {
    return this.d.settings.get().providers[id]?.baseUrl ?? null;
  }

  private requireKnown(id: string) {
    const provider = this.d.registry.get(id);
    if (!provider) throw new SwitchboardError('not_found', `There is no provider "${id}".`);
    return provider;
  }

  private async statusOf(id: string): Promise<ProviderStatus> {
    return (await this.list()).find((p) => p.id === id)!;
  }

  private status(id: string, kind: ProviderStatus['kind'], tier: Tier, baseUrl: string, baseUrlSource: ProviderStatus['baseUrlSource'], key: ProviderStatus['key']): ProviderStatus {
    return { id, name: this.nameOf(id), kind, tier, enabled: this.enabled(id), baseUrl, baseUrlSource, key, builtIn: true };
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
