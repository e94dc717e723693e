import type { AvailableModel, ModelInfo, Tier } from '../../shared/contract';
import { SECRET_ENV_VARS, SECRET_PROVIDERS, type SecretStore } from '../secrets/secret-store';
import type { LiveModel } from './live-models';
import type { ModelCatalog } from './model-catalog';

export interface AvailableModelsDeps {
  /** The catalog with refreshed prices and Settings' overrides, and each model's tier (the PriceBook). */
  prices: { catalog(): ModelCatalog; tierOf(modelId: string): Tier; priceOf(modelId: string): { input: number; output: number; cacheRead?: number } | null; isRetired(modelId: string): boolean };
  /** What the providers list now (issue #15): models the catalog lacks are added from it. */
  live?: { all(): LiveModel[] };
  /** Starts a background read of stale lists (the desktop app and headless mode; not the CLI or tests). */
  refreshStale?: () => void;
  /** What Settings → Providers says (the ProviderSettingsService). */
  providers: {
    enabled(providerId: string): boolean;
    nameOf(providerId: string): string;
    endpointModels(offline: boolean): Promise<ModelInfo[]>;
  };
  secrets: Pick<SecretStore, 'status'>;
  /** Offline mode as the app applies it (the setting, or `--offline` for one CLI run). */
  isOffline: () => boolean;
}

/** A local model's price (a fresh object each time: the lists are handed out). */
const free = (): AvailableModel['price'] => ({ input: 0, output: 0, cacheRead: null });

/**
 * Every model Switchboard could call — installed local ones, what the user's endpoints serve, the
 * cloud catalog — each with whether it can be called now and, when not, what to do about it.
 */
export class AvailableModels {
  constructor(private readonly d: AvailableModelsDeps) {}

  async list(installedLocal: ModelInfo[]): Promise<AvailableModel[]> {
    const { prices, providers } = this.d;
    this.d.refreshStale?.();
    const offline = this.d.isOffline();
    const keyed = new Map(await Promise.all(SECRET_PROVIDERS.map(async (id) => [id as string, (await this.d.secrets.status(id)).configured] as const)));
    const cloudReason = (provider: string): string | null => {
      const name = providers.nameOf(provider);
      return offline
        ? 'offline mode: only local models run'
        : !providers.enabled(provider)
          ? `${name} is switched off`
          : keyed.get(provider) === false
            ? `no ${name} key (Settings → Providers or ${SECRET_ENV_VARS[provider as keyof typeof SECRET_ENV_VARS] ?? 'its env var'})`
            : null;
    };
    const catalog = prices.catalog();
    const cloud = catalog.all().map((m): AvailableModel => {
      const reason = prices.isRetired(m.id) ? `retired: ${providers.nameOf(m.provider)} no longer lists it` : cloudReason(m.provider);
      return {
        id: m.id,
        provider: m.provider,
        name: m.name,
        tier: prices.tierOf(m.id),
        contextWindow: m.contextWindow,
        price: { input: m.price.input, output: m.price.output, cacheRead: m.price.cacheRead ?? null },
        available: reason === null,
        unavailableReason: reason,
        quality: m.quality,
      };
    });
    const local = installedLocal.map((m): AvailableModel => {
      const enabled = providers.enabled(m.provider);
      return {
        id: m.id,
        provider: m.provider,
        name: m.name,
        // An Ollama on this machine or the user's network is local and free; one elsewhere is not (issue #16).
        tier: m.tier,
        contextWindow: m.contextLength,
        price: m.tier === 'local' ? free() : null,
        available: enabled,
        unavailableReason: enabled ? null : `${m.provider === 'ollama' ? 'Ollama' : m.provider} is switched off`,
        quality: null,
      };
    });
    const custom = (await providers.endpointModels(offline)).map((m): AvailableModel => ({
      id: m.id,
      provider: m.provider,
      name: m.name,
      tier: m.tier,
      contextWindow: m.contextLength,
      // A local endpoint costs nothing; a remote one's price is not known unless Settings sets it.
      price: m.tier === 'local' ? free() : null,
      available: true,
      unavailableReason: null,
      quality: null,
    }));
    // Models a provider lists that the catalog does not know yet: callable, price unknown unless
    // Settings → Prices or the list itself (OpenRouter) gives one, quality unknown.
    const listed = (this.d.live?.all() ?? [])
      .filter((m) => !catalog.has(m.id))
      .map((m): AvailableModel => {
        const price = prices.priceOf(m.id);
        const reason = cloudReason(m.provider);
        return {
          id: m.id,
          provider: m.provider,
          name: m.name,
          tier: prices.tierOf(m.id),
          contextWindow: m.contextWindow,
          price: price ? { input: price.input, output: price.output, cacheRead: price.cacheRead ?? null } : null,
          available: reason === null,
          unavailableReason: reason,
          quality: null,
        };
      });
    return [...local, ...custom, ...cloud, ...listed];
  }
}
