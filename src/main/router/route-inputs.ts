import type { ModelInfo, OllamaStatus } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { isOllamaProvider, parseModelId } from '../../shared/model-id';
import type { PriceBook } from '../catalog';
import type { ProviderSettingsService } from '../providers/provider-settings-service';
import type { LocalWindow } from './local-context';
import { routableFromModelInfo } from './routable';
import type { RoutableModel } from './types';
import { SECRET_PROVIDERS, type SecretStore } from '../secrets/secret-store';
import type { SettingsService } from '../settings/settings-service';
import type { SystemService } from '../system/system-service';
import type { Logger } from '../logger';

/** Context windows of user endpoints are unknown; most local servers default to 8K–32K. */
const CUSTOM_CONTEXT = 32_768;

/**
 * What the router's policy reads synchronously — installed local models, which keys exist, each
 * model's price and window — refreshed (async, a few ms against local Ollama) before each request
 * and cached briefly so bursts do not re-query.
 */
export class RouteInputs {
  private installed: ModelInfo[] = [];
  private ollama: OllamaStatus | null = null;
  /** Extra Ollama hosts that could not be listed at the last refresh, by provider id. */
  private hostErrors = new Map<string, { host: string; code: string; message: string }>();
  private keys = new Map<string, boolean>();
  /** Installed Ollama models' /api/show capabilities, by model id (asked once per model, when a request needs them). */
  private capabilities = new Map<string, readonly string[]>();
  private refreshedAt = -Infinity;
  /** The settings the last refresh saw: a change (a host added, marked as on the network) refreshes at once. */
  private settingsSeen: unknown = null;
  /** The refresh under way, and the settings it reads. */
  private inflight: { settings: unknown; done: Promise<void> } | null = null;

  constructor(
    private readonly d: {
      system: SystemService;
      /** Extra Ollama hosts: their models, and which host a provider id names. */
      providers: Pick<ProviderSettingsService, 'extraOllamaModels' | 'extraOllamaHosts' | 'capabilities'>;
      prices: Pick<PriceBook, 'catalog' | 'tierOf' | 'priceOf' | 'listedOnly' | 'isRetired' | 'highestPriceOf'>;
      secrets: SecretStore;
      settings: SettingsService;
      /** The primary host's models' context windows (/api/show, fit estimator, /api/ps): issue #13. */
      windows?: { refresh(): Promise<void>; window(name: string): LocalWindow | undefined; canChat?(name: string): boolean };
      logger?: Logger;
      now?: () => number;
    },
    private readonly maxAgeMs = 3_000,
  ) {}

  async refresh(force = false): Promise<void> {
    const now = (this.d.now ?? Date.now)();
    const settings = this.d.settings.get();
    if (!force && now - this.refreshedAt < this.maxAgeMs && settings === this.settingsSeen) return;
    // Requests that arrive while a refresh for the same settings is under way wait for that one
    // (issue #17: at concurrency 32 each request started its own, 32 Ollama and keychain round trips
    // every time the inputs went stale). A forced refresh or new settings start their own.
    if (!force && this.inflight && this.inflight.settings === settings) return this.inflight.done;
    const done = this.load(now, settings).finally(() => {
      if (this.inflight?.done === done) this.inflight = null;
    });
    this.inflight = { settings, done };
    return done;
  }

  private async load(now: number, settings: unknown): Promise<void> {
    this.settingsSeen = settings;
    const [local, extra, , ...keys] = await Promise.all([
      this.d.system.listModels(),
      this.d.providers.extraOllamaModels(),
      // Without windows the router falls back to a conservative 8K per model: routing still works.
      this.d.windows?.refresh().catch((error: unknown) => this.d.logger?.info('local context windows not refreshed', { error: (error as Error).message })),
      ...SECRET_PROVIDERS.map((p) => this.d.secrets.status(p)),
    ]);
    this.installed = [...local.models, ...extra.models];
    this.ollama = local.ollama;
    this.hostErrors = new Map(extra.errors.map((e) => [e.providerId, { host: e.host, code: e.error.code, message: e.error.message }]));
    this.keys = new Map(keys.map((k) => [k.provider, k.configured]));
    this.refreshedAt = now;
  }

  /**
   * Why a chosen Ollama model cannot run, in the words that fix it (Ollama down, model not pulled),
   * or null. The policy would only say "not eligible"; the user needs the command.
   */
  localProblem(modelId: string): SwitchboardError | null {
    if (modelId.startsWith('ollama-')) return this.hostProblem(modelId);
    if (!modelId.startsWith('ollama/') || !this.ollama) return null;
    const name = modelId.slice('ollama/'.length);
    const host = this.ollama.host;
    if (!this.ollama.reachable) {
      return new SwitchboardError('unavailable', `Ollama is not running at ${host}. Start it (ollama serve, or open the Ollama app) or change the host in Settings.`, {
        details: { host },
      });
    }
    if (!this.installed.some((m) => m.id === modelId)) {
      return new SwitchboardError('model_not_found', `The model "${name}" is not installed in Ollama at ${host}. Pull it with: ollama pull ${name}`, {
        retryable: false,
        details: { model: name, host, pull: name },
      });
    }
    return null;
  }

  /** The same for a model on an extra Ollama host (`ollama-gpu-box/llama3.1:8b`), naming the host. */
  private hostProblem(modelId: string): SwitchboardError | null {
    const { provider, model: name } = safeParse(modelId);
    const host = this.d.providers.extraOllamaHosts().find((h) => h.id === provider);
    if (!provider || !name || !host) return null; // not a configured host: the registry says so
    const down = this.hostErrors.get(provider);
    if (down?.code === 'offline') {
      return new SwitchboardError('offline', `Offline mode reaches only this computer and hosts marked as on your network, and the Ollama host "${host.name}" (${host.url}) is neither. Mark its address in Settings → Network, or turn offline mode off.`, {
        retryable: false,
        details: { host: host.url, hostName: host.name, provider },
      });
    }
    if (down) {
      return new SwitchboardError('unavailable', `The Ollama host "${host.name}" is not reachable at ${host.url}. Start Ollama there (OLLAMA_HOST=0.0.0.0 ollama serve) or fix its URL in Settings → Ollama.`, {
        details: { host: host.url, hostName: host.name, provider, error: down.message },
      });
    }
    if (!this.installed.some((m) => m.id === modelId)) {
      return new SwitchboardError('model_not_found', `The model "${name}" is not installed on the Ollama host "${host.name}" (${host.url}). Pull it there with: ollama pull ${name}`, {
        retryable: false,
        details: { model: name, host: host.url, hostName: host.name, provider, pull: name },
      });
    }
    return null;
  }

  /** Installed local models that can chat: embedding models (nomic-embed-text, bge-m3 …) are left out. */
  installedLocal(): string[] {
    // By name and family, and (primary host) by /api/show's capabilities: an embedding model named otherwise.
    return this.installed.filter((m) => !isEmbeddingModel(m) && !(m.provider === 'ollama' && this.d.windows?.canChat?.(m.name) === false)).map((m) => m.id);
  }

  hasKey(provider: string): boolean {
    if (isOllamaProvider(provider)) return true;
    // User endpoints work with or without a key (LM Studio needs none).
    if (this.custom(provider)) return true;
    return this.keys.get(provider) ?? false;
  }

  model(id: string): RoutableModel | undefined {
    const cloud = this.d.prices.catalog().get(id);
    if (cloud) return this.d.prices.isRetired(id) ? undefined : { ...cloud, tier: this.d.prices.tierOf(id) };
    const listed = this.d.prices.listedOnly(id);
    if (listed) return this.listedModel(id, listed);
    const local = this.installed.find((m) => m.id === id);
    if (local) return routableFromModelInfo(local, undefined, this.localWindow(id));
    const { provider } = safeParse(id);
    const custom = provider ? this.custom(provider) : undefined;
    // Its tier as its address allows (a claimed `local` elsewhere is `paid`: issue #16).
    if (custom) return { id, provider: custom.id, tier: this.d.prices.tierOf(id), contextWindow: CUSTOM_CONTEXT, price: { input: 0, output: 0 }, quality: 5, strengths: [] };
    return undefined;
  }

  /** What a primary-host Ollama model can hold (`ollama/<name>`), when its metadata was read. */
  localWindow(modelId: string): LocalWindow | undefined {
    if (!modelId.startsWith('ollama/')) return undefined;
    return this.d.windows?.window(modelId.slice('ollama/'.length));
  }

  /**
   * Reads the capabilities of installed Ollama models not asked yet (issue #15: a request with
   * tools goes only to models whose /api/show lists "tools"). A host that does not answer leaves
   * its models unknown, and so not tool-capable.
   */
  async loadCapabilities(signal?: AbortSignal): Promise<void> {
    const ids = this.installed.map((m) => m.id).filter((id) => !this.capabilities.has(id));
    await Promise.all(
      ids.map(async (id) => {
        const caps = await this.d.providers.capabilities(id, signal ?? AbortSignal.timeout(5_000)).catch(() => null);
        if (caps) this.capabilities.set(id, caps);
      }),
    );
  }

  /**
   * Whether a model can call tools: an Ollama model when its /api/show lists "tools"; cloud and
   * user-endpoint models are sent the tools (their APIs take them; one that cannot refuses).
   */
  supportsTools(id: string): boolean {
    const { provider } = safeParse(id);
    if (provider && isOllamaProvider(provider)) return this.capabilities.get(id)?.includes('tools') ?? false;
    return true;
  }

  /**
   * Whether a model takes images: an Ollama model when its /api/show lists "vision", a catalog
   * model marked `vision`; a model the catalog does not describe is not sent images.
   */
  supportsVision(id: string): boolean {
    const { provider } = safeParse(id);
    if (provider && isOllamaProvider(provider)) return this.capabilities.get(id)?.includes('vision') ?? false;
    return this.d.prices.catalog().get(id)?.vision === true;
  }

  /** A catalog model its provider no longer lists (issue #15): the router says so instead of "not in the catalog". */
  isRetired(id: string): boolean {
    return this.d.prices.isRetired(id);
  }

  /**
   * A model the provider lists and the catalog does not know (issue #15): callable, at a middling
   * quality (seed 002's scale, as for user endpoints), the list's window or a conservative 32K, and
   * for the budget the price set in Settings or the list, else the provider's dearest known price,
   * so an unknown price can never let a request past the budget.
   */
  private listedModel(id: string, listed: { provider: string; contextWindow: number | null }): RoutableModel {
    const price = this.d.prices.priceOf(id) ?? this.d.prices.highestPriceOf(listed.provider) ?? { input: 0, output: 0 };
    return { id, provider: listed.provider, tier: this.d.prices.tierOf(id), contextWindow: listed.contextWindow ?? CUSTOM_CONTEXT, price, quality: 5, strengths: [] };
  }

  private custom(provider: string) {
    return this.d.settings.get().customEndpoints.find((c) => c.id === provider);
  }
}

function safeParse(id: string): { provider: string | null; model?: string } {
  try {
    return parseModelId(id);
  } catch {
    return { provider: null };
  }
}

/**
 * Ollama's model list does not say what a model can do (only /api/show does, one request per
 * model), so embedding models are known by name or by their BERT-family architecture, which
 * every embedding model in Ollama's library uses (nomic-bert, bert, xlm-roberta).
 */
export function isEmbeddingModel(m: Pick<ModelInfo, 'name' | 'family'>): boolean {
  return /embed/i.test(m.name) || /bert|roberta/i.test(m.family ?? '');
}
