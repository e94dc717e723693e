import fs from 'node:fs';
import type { AvailableModel, CustomEndpoint, ModelHealthInfo, ModelInfo, ProviderStatus, Settings, Tier } from '../../shared/contract';
import { SwitchboardError, serializeError } from '../../shared/errors';
import { isOllamaProvider, parseModelId, tierOfProvider } from '../../shared/model-id';
import { CLOUD_CATALOG_RELATIVE_PATH, parseCloudCatalog, refreshOpenRouterPrices, type ModelCatalog } from '../catalog';
import type { Logger } from '../logger';
import { RateLimitTracker, ReliableChat } from '../reliability';
import { findResource } from '../resources';
import type { ModelRunner, RunRequest } from '../runner';
import { SECRET_ENV_VARS, type SecretStore } from '../secrets/secret-store';
import type { SettingsService } from '../settings/settings-service';
import type { Db } from '../store';
import { CallRecorder } from '../usage';
import { AnthropicProvider, ANTHROPIC_DEFAULT_BASE_URL } from './anthropic';
import { CustomEndpointModels } from './custom-endpoint-models';
import { type OllamaHostConfig, type PoolModelList } from './ollama/ollama-host-pool';
import { OllamaHosts } from './ollama-hosts';
export { DEFAULT_OLLAMA_HOST_CONCURRENCY } from './ollama-hosts';
import { type OllamaProvider } from './ollama/ollama-provider';
import { OPENAI_COMPATIBLE_PRESETS, OpenAICompatibleProvider, customPreset, type OpenAICompatiblePresetId } from './openai';
import { ProviderRegistry } from './registry';

/** Refreshed prices only for models the catalog lists (OpenRouter lists hundreds). */
function onlyKnown(prices: Record<string, Record<string, unknown>>, catalog: ModelCatalog): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(prices).filter(([id]) => catalog.has(id)));
}

const CLOUD_IDS = Object.keys(OPENAI_COMPATIBLE_PRESETS) as OpenAICompatiblePresetId[];

/** The guarded fetch tagged with the provider, so the outbound log names it whatever its base URL is. */
function taggedFetch(f: typeof fetch | undefined, purpose: string): typeof fetch | undefined {
  const guarded = f as (typeof fetch & { forPurpose?: (purpose: string) => typeof fetch }) | undefined;
  return guarded?.forPurpose ? guarded.forPurpose(purpose) : f;
}

const BUILT_IN_NAMES: Record<string, string> = { ollama: 'Ollama', anthropic: 'Anthropic', ...Object.fromEntries(CLOUD_IDS.map((id) => [id, OPENAI_COMPATIBLE_PRESETS[id].displayName])) };

export interface ProviderServicesOptions {
  db: Db;
  env: NodeJS.ProcessEnv;
  settings: SettingsService;
  secrets: SecretStore;
  ollama: OllamaProvider;
  logger: Logger;
  /** The one guarded fetch every provider uses. */
  fetch?: typeof fetch;
  /** The same guard, tagged for the outbound log, for the price refresh. */
  catalogFetch?: typeof fetch;
  /** Offline mode as the app applies it (the setting, or `--offline` for one CLI run). */
  isOffline?: () => boolean;
  catalogPath?: string;
}

/**
 * Every model behind one streaming interface: the provider registry (Ollama, the OpenAI-compatible
 * clouds, Anthropic, user endpoints), the cloud catalog with price overrides from Settings, and the
 * reliability layer that all calls go through. `runner` is the seam the chat, router, council and
 * task graphs call.
 */
export class ProviderServices {
  readonly registry = new ProviderRegistry();
  readonly rateLimits = new RateLimitTracker();
  readonly recorder: CallRecorder;
  readonly reliable: ReliableChat;
  readonly runner: ModelRunner;
  private readonly baseCatalog: ModelCatalog;
  private catalogCache: { overrides: unknown; refreshed: unknown; catalog: ModelCatalog } | null = null;
  /** OpenRouter's current prices (when refreshed online); the user's overrides still win. */
  private refreshed: { prices: Record<string, Record<string, unknown>>; at: number } | null = null;
  /** The extra Ollama hosts by provider id; each provider reads its entry's current URL. */
  private readonly ollamaHosts: OllamaHosts;
  /** The models the user's OpenAI-compatible endpoints serve (listed live, kept briefly). */
  private readonly customModels: CustomEndpointModels;

  constructor(private readonly o: ProviderServicesOptions) {
    const log = o.logger.child('providers');
    this.baseCatalog = parseCloudCatalog(JSON.parse(fs.readFileSync(o.catalogPath ?? findResource(CLOUD_CATALOG_RELATIVE_PATH), 'utf8')));
    this.registry.register(o.ollama);
    for (const id of CLOUD_IDS) {
      this.registry.register(
        new OpenAICompatibleProvider({ preset: id, getKey: () => o.secrets.get(id), fetch: taggedFetch(o.fetch, id), env: o.env, baseUrl: () => this.baseUrlSetting(id) ?? '', rateLimits: this.rateLimits, logger: log }),
      );
    }
    this.registry.register(
      new AnthropicProvider({
        getKey: () => o.secrets.get('anthropic'),
        fetch: taggedFetch(o.fetch, 'anthropic'),
        env: o.env,
        baseUrl: () => this.baseUrlSetting('anthropic'),
        rateLimits: this.rateLimits,
        logger: log,
        maxOutputTokens: (m) => this.catalog().get(`anthropic/${m}`)?.maxOutputTokens,
      }),
    );
    for (const endpoint of o.settings.get().customEndpoints) this.registerCustom(endpoint);
    this.registry.setGate((id) => (this.enabled(id) ? null : `${BUILT_IN_NAMES[id] ?? id} is switched off in Settings → Providers.`));

    this.recorder = new CallRecorder(o.db, o.logger.child('usage'));
    this.reliable = new ReliableChat({
      providers: this.registry,
      rateLimits: this.rateLimits,
      recorder: this.recorder,
      tierOf: (id) => this.tierOf(id),
      pricing: (id) => this.catalog().priceOf(id),
      logger: o.logger.child('reliability'),
    });
    this.runner = {
      stream: (r: RunRequest) =>
        this.reliable.stream({
          candidates: [r.model], messages: r.messages, options: r.options, signal: r.signal, messageId: r.messageId, purpose: r.purpose,
          pool: r.timeouts?.pool, timeouts: r.timeouts?.totalMs === undefined ? undefined : { totalMs: r.timeouts.totalMs },
        }),
    };
    this.ollamaHosts = new OllamaHosts({
      settings: o.settings,
      registry: this.registry,
      setConcurrency: (id, n) => this.reliable.setConcurrency(id, n),
      fetch: (id) => taggedFetch(o.fetch, id),
      taken: (id) => !!BUILT_IN_NAMES[id] || this.customEndpoints().some((c) => c.id === id),
      enabled: (id) => this.enabled(id),
      logger: o.logger,
    });
    this.ollamaHosts.sync();
    this.customModels = new CustomEndpointModels({ registry: this.registry, logger: log });
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

  /** The cloud catalog: bundled prices, then OpenRouter's refreshed ones, then the user's overrides. */
  catalog(): ModelCatalog {
    const overrides = this.o.settings.get().priceOverrides;
    const refreshed = this.refreshed;
    if (this.catalogCache?.overrides !== overrides || this.catalogCache.refreshed !== refreshed) {
      const withRefreshed = refreshed ? this.baseCatalog.withOverrides(onlyKnown(refreshed.prices, this.baseCatalog)) : this.baseCatalog;
      this.catalogCache = { overrides, refreshed, catalog: withRefreshed.withOverrides(overrides) };
    }
    return this.catalogCache.catalog;
  }

  /**
   * Fetches OpenRouter's current prices (its public models list; no key needed). Never in offline
   * mode: the bundled prices stay. Returns how many catalog models got a new price.
   */
  async refreshPrices(signal?: AbortSignal): Promise<{ updated: number; at: number }> {
    const base = (this.registry.get('openrouter') as OpenAICompatibleProvider).baseUrl;
    const prices = await refreshOpenRouterPrices({
      fetch: this.o.catalogFetch ?? this.o.fetch ?? fetch,
      offline: this.offline(),
      url: `${base}/models`,
      signal,
    });
    const known = onlyKnown(prices as Record<string, Record<string, unknown>>, this.baseCatalog);
    this.refreshed = { prices: known, at: Date.now() };
    return { updated: Object.keys(known).length, at: this.refreshed.at };
  }

  tierOf(modelId: string): Tier {
    const { provider } = parseModelId(modelId);
    const custom = this.customEndpoints().find((c) => c.id === provider);
    if (custom) return custom.tier;
    if (isOllamaProvider(provider)) return 'local';
    return this.catalog().tierOf(modelId) ?? tierOfProvider(provider);
  }

  enabled(providerId: string): boolean {
    return this.o.settings.get().providers[providerId]?.enabled ?? true;
  }

  async list(): Promise<ProviderStatus[]> {
    const out: ProviderStatus[] = [];
    const ollama = this.o.ollama;
    out.push(this.status('ollama', 'ollama', 'local', ollama.host, this.o.env.OLLAMA_HOST ? 'env' : 'default', null, true));
    for (const { id, ...config } of this.ollamaHosts.list()) {
      out.push({ id, name: `Ollama (${config.name})`, kind: 'ollama', tier: 'local', enabled: this.enabled(id), baseUrl: config.url, baseUrlSource: 'settings', key: null, builtIn: false });
    }
    for (const id of CLOUD_IDS) {
      const provider = this.registry.get(id) as OpenAICompatibleProvider;
      const preset = OPENAI_COMPATIBLE_PRESETS[id];
      const source = this.baseUrlSetting(id) ? 'settings' : this.o.env[preset.baseUrlEnv] ? 'env' : 'default';
      out.push(this.status(id, 'openai-compatible', preset.tier, provider.baseUrl, source, await this.o.secrets.status(id), true));
    }
    const anthropic = this.registry.get('anthropic') as AnthropicProvider;
    const aSource = this.baseUrlSetting('anthropic') ? 'settings' : this.o.env.ANTHROPIC_BASE_URL ? 'env' : 'default';
    out.push(this.status('anthropic', 'anthropic', 'paid', anthropic.baseUrl || ANTHROPIC_DEFAULT_BASE_URL, aSource, await this.o.secrets.status('anthropic'), true));
    for (const c of this.customEndpoints()) {
      const key = await this.o.secrets.customStatus(c.id);
      out.push({ id: c.id, name: c.name, kind: 'custom', tier: c.tier, enabled: this.enabled(c.id), baseUrl: c.baseUrl, baseUrlSource: 'settings', key: { ...key, envVar: null }, builtIn: false });
    }
    return out;
  }

  async update(input: { id: string; enabled?: boolean; baseUrl?: string | null }): Promise<ProviderStatus> {
    this.requireKnown(input.id);
    if (input.baseUrl !== undefined && (input.id === 'ollama' || this.ollamaHosts.has(input.id))) {
      throw new SwitchboardError('invalid_input', 'Set Ollama hosts in Settings → Ollama.');
    }
    const current = this.o.settings.get().providers;
    const entry = { ...current[input.id] };
    if (input.enabled !== undefined) entry.enabled = input.enabled;
    if (input.baseUrl !== undefined) entry.baseUrl = input.baseUrl;
    this.o.settings.update({ providers: { ...current, [input.id]: entry } });
    return (await this.list()).find((p) => p.id === input.id)!;
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

  health(): ModelHealthInfo[] {
    const calls = new Map(this.recorder.latencyByModel().map((l) => [l.modelId, l]));
    const live = this.reliable.healthSnapshots();
    const ids = new Set([...live.map((h) => h.modelId), ...calls.keys()]);
    return [...ids].sort().map((modelId) => {
      const h = live.find((x) => x.modelId === modelId);
      const c = calls.get(modelId);
      return {
        modelId,
        state: h?.state ?? 'closed',
        requests: h?.requests ?? 0,
        failures: h?.failures ?? 0,
        openUntil: h?.openUntil ?? null,
        lastError: h?.lastError ?? null,
        p50Ms: c?.p50Ms ?? h?.p50Ms ?? null,
        p95Ms: c?.p95Ms ?? h?.p95Ms ?? null,
        calls: c?.calls ?? 0,
      };
    });
  }

  /** Cloud catalog models plus installed local ones, each with whether it can be called now. */
  async catalogModels(installedLocal: ModelInfo[]): Promise<AvailableModel[]> {
    const offline = this.offline();
    const keyed = new Map<string, boolean>();
    for (const id of [...CLOUD_IDS, 'anthropic'] as const) keyed.set(id, (await this.o.secrets.status(id)).configured);
    const cloud = this.catalog().all().map((m): AvailableModel => {
      const reason = offline
        ? 'offline mode: only local models run'
        : !this.enabled(m.provider)
          ? `${BUILT_IN_NAMES[m.provider] ?? m.provider} is switched off`
          : keyed.get(m.provider) === false
            ? `no ${BUILT_IN_NAMES[m.provider] ?? m.provider} key (Settings → Providers or ${SECRET_ENV_VARS[m.provider as keyof typeof SECRET_ENV_VARS] ?? 'its env var'})`
            : null;
      return {
        id: m.id,
        provider: m.provider,
        name: m.name,
        tier: this.tierOf(m.id),
        contextWindow: m.contextWindow,
        price: { input: m.price.input, output: m.price.output, cacheRead: m.price.cacheRead ?? null },
        available: reason === null,
        unavailableReason: reason,
        quality: m.quality,
      };
    });
    const local = installedLocal.map((m): AvailableModel => ({
      id: m.id,
      provider: m.provider,
      name: m.name,
      tier: 'local',
      contextWindow: m.contextLength,
      price: { input: 0, output: 0, cacheRead: null },
      available: this.enabled(m.provider),
      unavailableReason: this.enabled(m.provider) ? null : `${m.provider === 'ollama' ? 'Ollama' : m.provider} is switched off`,
      quality: null,
    }));
    const served = await this.customModels.list(this.customEndpoints().filter((c) => this.enabled(c.id)), offline);
    const custom = served.map((m): AvailableModel => ({
      id: m.id,
      provider: m.provider,
      name: m.name,
      tier: m.tier,
      contextWindow: m.contextLength,
      // A local endpoint costs nothing; a remote one's price is not known unless Settings sets it.
      price: m.tier === 'local' ? { input: 0, output: 0, cacheRead: null } : null,
      available: true,
      unavailableReason: null,
      quality: null,
    }));
    return [...local, ...custom, ...cloud];
  }

  async addCustom(input: CustomEndpoint & { apiKey?: string }): Promise<ProviderStatus> {
    if (BUILT_IN_NAMES[input.id] || this.customEndpoints().some((c) => c.id === input.id) || this.ollamaHosts.has(input.id)) {
      throw new SwitchboardError('conflict', `There is already a provider called "${input.id}". Pick another id.`);
    }
    if (input.apiKey) await this.o.secrets.setCustom(input.id, input.apiKey);
    const endpoint: CustomEndpoint = { id: input.id, name: input.name, baseUrl: input.baseUrl.replace(/\/+$/, ''), tier: input.tier };
    this.o.settings.update({ customEndpoints: [...this.customEndpoints(), endpoint] });
    this.registerCustom(endpoint);
    return (await this.list()).find((p) => p.id === input.id)!;
  }

  async removeCustom(id: string): Promise<boolean> {
    const remaining = this.customEndpoints().filter((c) => c.id !== id);
    if (remaining.length === this.customEndpoints().length) return false;
    this.o.settings.update({ customEndpoints: remaining });
    await this.o.secrets.deleteCustom(id);
    this.registry.unregister(id);
    this.customModels.forget(id);
    return true;
  }

  /** Adds an Ollama server besides the primary one; its models become `ollama-<name>/<model>`. */
  async addOllamaHost(input: OllamaHostConfig): Promise<ProviderStatus> {
    const id = this.ollamaHosts.add(input);
    return (await this.list()).find((p) => p.id === id)!;
  }

  async removeOllamaHost(name: string): Promise<boolean> {
    return this.ollamaHosts.remove(name);
  }

  private offline(): boolean {
    return this.o.isOffline?.() ?? this.o.settings.get().offlineMode;
  }

  private customEndpoints(): Settings['customEndpoints'] {
    return this.o.settings.get().customEndpoints;
  }

  private registerCustom(endpoint: CustomEndpoint): void {
    this.registry.register(
      new OpenAICompatibleProvider({
        preset: customPreset({ id: endpoint.id, displayName: endpoint.name, baseUrl: endpoint.baseUrl, tier: endpoint.tier }),
        getKey: () => this.o.secrets.getCustom(endpoint.id),
        fetch: taggedFetch(this.o.fetch, endpoint.id),
        rateLimits: this.rateLimits,
        logger: this.o.logger.child('providers'),
      }),
    );
  }

  private baseUrlSetting(id: string): string | null {
    return this.o.settings.get().providers[id]?.baseUrl ?? null;
  }

  private requireKnown(id: string) {
    const provider = this.registry.get(id);
    if (!provider) throw new SwitchboardError('not_found', `There is no provider "${id}".`);
    return provider;
  }

  private status(id: string, kind: ProviderStatus['kind'], tier: Tier, baseUrl: string, baseUrlSource: ProviderStatus['baseUrlSource'], key: ProviderStatus['key'], builtIn: boolean): ProviderStatus {
    return { id, name: BUILT_IN_NAMES[id] ?? id, kind, tier, enabled: this.enabled(id), baseUrl, baseUrlSource, key, builtIn };
  }
}
