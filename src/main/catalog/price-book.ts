import fs from 'node:fs';
import type { Tier } from '../../shared/contract';
import { isOllamaProvider, parseModelId, tierOfProvider } from '../../shared/model-id';
import { findResource } from '../resources';
import type { ModelPrice } from '../runner';
import { CLOUD_CATALOG_RELATIVE_PATH, parseCloudCatalog, type ModelCatalog } from './model-catalog';
import { refreshOpenRouterPrices } from './openrouter-prices';

export interface PriceBookDeps {
  /** The bundled catalog (resources/cloud-models.json; see `readBundledCatalog`). */
  base: ModelCatalog;
  /** Settings' `priceOverrides`, read on every use (the object changes identity when Settings change). */
  overrides: () => unknown;
  /** The tier of a user's OpenAI-compatible endpoint (Settings → Providers), or undefined for other providers. */
  endpointTier: (providerId: string) => Tier | undefined;
  /** OpenRouter's `GET /models` (OPENROUTER_BASE_URL or Settings' base URL, else its own). */
  openRouterModelsUrl: () => string;
  /** The guarded fetch, tagged for the outbound log. */
  fetch: typeof fetch;
  /** Offline mode as the app applies it: no price refresh then. */
  isOffline: () => boolean;
  now?: () => number;
}

/** Refreshed prices only for models the catalog lists (OpenRouter lists hundreds). */
function onlyKnown(prices: Record<string, Record<string, unknown>>, catalog: ModelCatalog): Record<string, Record<string, unknown>> {
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
  private refreshed: { prices: Record<string, Record<string, unknown>>; at: number } | null = null;

  constructor(private readonly d: PriceBookDeps) {}

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

  /** A user endpoint's own tier, `local` for any Ollama host, the catalog's tier, else the provider's. */
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
    const known = onlyKnown(prices as Record<string, Record<string, unknown>>, this.d.base);
    this.refreshed = { prices: known, at: (this.d.now ?? Date.now)() };
    return { updated: Object.keys(known).length, at: this.refreshed.at };
  }
}
