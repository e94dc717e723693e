import fs from 'node:fs';
import { z } from 'zod';
import type { Tier } from '../../shared/contract';
import { isOllamaProvider, parseModelId, tierOfProvider } from '../../shared/model-id';
import { findResource } from '../resources';
import type { ModelPrice } from '../runner';
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
  now?: () => number;
}

/** Refreshed prices only for models the catalog lists (OpenRouter lists hundreds). */
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

  /** USD per 1M tokens, or null for a model the catalog does not list (local models, user endpoints). */
  priceOf(modelId: string): ModelPrice | null {
    return this.catalog().priceOf(modelId);
  }

  /** A user's server's tier (endpointTier), `local` for an Ollama host it does not know, the catalog's tier, else the provider's. */
  tierOf(modelId: string): Tier {
    const { provider } = parseModelId(modelId);
    const endpoint = this.d.endpointTier(provider);
    if (endpoint) return endpoint;
    if (isOllamaProvider(provider)) return 'local';
    return this.catalog().tierOf(modelId) ?? tierOfProvider(provider);
  }

  /**
   * Fetches OpenRouter's current prices (its public models list; no key needed). Never in offline
   * mode: the bundled prices stay. Returns how many catalog models got a new price.
   */
  async refreshPrices(signal?: AbortSignal): Promise<{ updated: number; at: number }> {
    const prices = await refreshOpenRouterPrices({ fetch: this.d.fetch, offline: this.d.isOffline(), url: this.d.openRouterModelsUrl(), signal });
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
