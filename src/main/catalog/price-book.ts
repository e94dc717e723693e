import fs from 'node:fs';
import { z } from 'zod';
import type { Tier } from '../../shared/contract';
import { isOllamaProvider, parseModelId, tierOfProvider } from '../../shared/model-id';
import { findResource } from '../resources';
import type { ModelPrice } from '../runner';
import type { LiveModel } from './live-models';
import { CLOUD_CATALOG_RELATIVE_PATH, parseCloudCatalog, type ModelCatalog } from './model-catalog';
import { refreshOpenRouterPrices } from './openrouter-prices';
import { PriceOverrides } from './schema';

/** OpenRouter's list prices change a few times a month; a start refreshes them at most once a day (issue #16, item 3). */
export const PRICE_REFRESH_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** The last refresh, kept across restarts: when it ran and the prices it brought (catalog models only). */
const SavedRefresh = z.object({ at: z.number(), prices: PriceOverrides });
type SavedRefresh = z.infer<typeof SavedRefresh>;

/** Where the last refresh is kept (a row of the settings table; see app.ts). */
export interface SavedPrices {
  read(): unknown;
  write(value: SavedRefresh): void;
}

/** The settings-table row the last refresh is kept in: outside the Settings schema, like the API token's. */
const SAVED_PRICES_KEY = 'openRouterPriceRefresh';

/** SavedPrices on a row of the settings table (SettingsRepo). */
export function savedPricesRow(repo: { all(): Record<string, unknown>; set(key: string, value: unknown): void }): SavedPrices {
  return { read: () => repo.all()[SAVED_PRICES_KEY], write: (value) => repo.set(SAVED_PRICES_KEY, value) };
}

/** What the start-up refresh did: fetched, or why it fetched nothing. */
export type StartRefresh = { refreshed: true; updated: number; at: number } | { refreshed: false; reason: 'offline' | 'recent' | 'not-configured' };

export interface PriceBookDeps {
  /** The bundled catalog (resources/cloud-models.json; see `readBundledCatalog`). */
  base: ModelCatalog;
  /** Settings' `priceOverrides`, read on every use (the object changes identity when Settings change). */
  overrides: () => unknown;
  /**
   * The tier of the user's own servers — custom endpoints and Ollama hosts — as their address allows
   * (local only on this machine or a host on the user's network), or undefined for other providers.
   */
  endpointTier: (providerId: string) => Tier | undefined;
  /** OpenRouter's `GET /models` (OPENROUTER_BASE_URL or Settings' base URL, else its own). */
  openRouterModelsUrl: () => string;
  /** The guarded fetch, tagged for the outbound log. */
  fetch: typeof fetch;
  /** Offline mode as the app applies it: no price refresh then. */
  isOffline: () => boolean;
  /** The last refresh across restarts; without it each process starts from the bundled prices. */
  saved?: SavedPrices;
  /** What the providers list now (issue #15): models the catalog lacks, and the ones it has that were retired. */
  live?: { get(id: string): LiveModel | undefined; isRetired(id: string, provider: string): boolean; accept?(provider: string, models: LiveModel[]): void };
  now?: () => number;
}

/** Refreshed prices only for models the catalog lists (OpenRouter lists hundreds). */
function stripTier(o: PriceOverrides[string]): ModelPrice {
  const { tier: _tier, ...price } = o;
  return price as ModelPrice;
}

function onlyKnown(prices: PriceOverrides, catalog: ModelCatalog): PriceOverrides {
  return Object.fromEntries(Object.entries(prices).filter(([id]) => catalog.has(id)));
}

/** The catalog Switchboard ships, read once at start. */
export function readBundledCatalog(catalogPath = findResource(CLOUD_CATALOG_RELATIVE_PATH)): ModelCatalog {
  return parseCloudCatalog(JSON.parse(fs.readFileSync(catalogPath, 'utf8')));
}

/**
 * What a model costs and which tier it bills at: the bundled catalog, then OpenRouter's current
 * prices (when refreshed online), then the user's overrides from Settings, which always win.
 */
export class PriceBook {
  private cache: { overrides: unknown; refreshed: unknown; catalog: ModelCatalog } | null = null;
  /** OpenRouter's current prices (when refreshed online); the user's overrides still win. */
  private refreshed: SavedRefresh | null = null;

  constructor(private readonly d: PriceBookDeps) {
    // A saved refresh that no longer validates (an older shape) is left for the next refresh to replace.
    const saved = SavedRefresh.safeParse(d.saved?.read());
    if (saved.success) this.refreshed = { at: saved.data.at, prices: onlyKnown(saved.data.prices, d.base) };
  }

  /** The cloud catalog: bundled prices, then OpenRouter's refreshed ones, then the user's overrides. */
  catalog(): ModelCatalog {
    const overrides = this.d.overrides();
    const refreshed = this.refreshed;
    if (!this.cache || this.cache.overrides !== overrides || this.cache.refreshed !== refreshed) {
      const withRefreshed = refreshed ? this.d.base.withOverrides(onlyKnown(refreshed.prices, this.d.base)) : this.d.base;
      this.cache = { overrides, refreshed, catalog: withRefreshed.withOverrides(overrides) };
    }
    return this.cache.catalog;
  }

  /**
   * USD per 1M tokens: the catalog's; for a model only a live list names, the user's price from
   * Settings → Prices, else the list's own (OpenRouter's); null when nobody knows it (local models,
   * user endpoints, a new model without a price yet).
   */
  priceOf(modelId: string): ModelPrice | null {
    const known = this.catalog().priceOf(modelId);
    if (known) return known;
    const override = PriceOverrides.safeParse(this.d.overrides() ?? {}).data?.[modelId];
    if (override?.input !== undefined && override.output !== undefined) return stripTier(override);
    return this.d.live?.get(modelId)?.price ?? null;
  }

  /** A model only a provider's live list names (not in the catalog, not retired). */
  listedOnly(modelId: string): LiveModel | undefined {
    return this.catalog().has(modelId) ? undefined : this.d.live?.get(modelId);
  }

  /** A catalog model its provider's live list no longer names. */
  isRetired(modelId: string): boolean {
    if (!this.d.live || !this.catalog().has(modelId)) return false;
    return this.d.live.isRetired(modelId, parseModelId(modelId).provider);
  }

  /**
   * The dearest input and output prices the provider's catalog models have: what the budget
   * reserves for a model of that provider whose price is not known yet (issue #15). Null when
   * the catalog prices none of the provider's models.
   */
  highestPriceOf(provider: string): ModelPrice | null {
    const prices = this.catalog()
      .byProvider(provider)
      .map((m) => m.price);
    if (prices.length === 0) return null;
    return { input: Math.max(...prices.map((p) => p.input)), output: Math.max(...prices.map((p) => p.output)) };
  }

  /** A user's server's tier (endpointTier), `local` for an Ollama host it does not know, the catalog's tier, else the provider's. */
  tierOf(modelId: string): Tier {
    const { provider } = parseModelId(modelId);
    const endpoint = this.d.endpointTier(provider);
    if (endpoint) return endpoint;
    if (isOllamaProvider(provider)) return 'local';
    const listedTier = this.listedOnly(modelId) ? PriceOverrides.safeParse(this.d.overrides() ?? {}).data?.[modelId]?.tier : undefined;
    return this.catalog().tierOf(modelId) ?? listedTier ?? tierOfProvider(provider);
  }

  /**
   * Fetches OpenRouter's current prices (its public models list; no key needed). Never in offline
   * mode: the bundled prices stay. Returns how many catalog models got a new price.
   */
  async refreshPrices(signal?: AbortSignal): Promise<{ updated: number; at: number }> {
    const live = this.d.live;
    const prices = await refreshOpenRouterPrices({
      fetch: this.d.fetch,
      offline: this.d.isOffline(),
      url: this.d.openRouterModelsUrl(),
      signal,
      // The same response is OpenRouter's live model list (issue #15): one request serves both.
      onModels: live?.accept
        ? (models) => live.accept?.('openrouter', models.map((m) => ({ id: `openrouter/${m.id}`, provider: 'openrouter', name: m.id, contextWindow: m.contextLength, price: m.price })))
        : undefined,
    });
    const known = onlyKnown(prices, this.d.base);
    this.refreshed = { prices: known, at: this.now() };
    this.d.saved?.write(this.refreshed);
    return { updated: Object.keys(known).length, at: this.refreshed.at };
  }

  /**
   * The refresh at start (desktop and headless; issue #16, item 3): nothing is fetched unless
   * OpenRouter is configured, the app is online and the last refresh is a day old. `configured`
   * is asked last, so a start that needs no refresh does not read the keychain.
   */
  async refreshIfDue(configured: () => Promise<boolean>, signal?: AbortSignal): Promise<StartRefresh> {
    if (this.d.isOffline()) return { refreshed: false, reason: 'offline' };
    // A refresh "in the future" (the clock was set back since) does not count as recent.
    const age = this.refreshed ? this.now() - this.refreshed.at : Infinity;
    if (age >= 0 && age < PRICE_REFRESH_INTERVAL_MS) return { refreshed: false, reason: 'recent' };
    if (!(await configured())) return { refreshed: false, reason: 'not-configured' };
    return { refreshed: true, ...(await this.refreshPrices(signal)) };
  }

  private now(): number {
    return (this.d.now ?? Date.now)();
  }
}
