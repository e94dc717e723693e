export { ModelCatalog, parseCloudCatalog, readCloudCatalog, CLOUD_CATALOG_RELATIVE_PATH } from './model-catalog';
export { refreshOpenRouterPrices, OPENROUTER_MODELS_URL, type RefreshOpenRouterPricesOptions } from './openrouter-prices';
export {
  CloudCatalogFile,
  CloudModelEntry,
  CloudTier,
  FreeTierLimits,
  ModelOverride,
  ModelPrice,
  PriceOverrides,
} from './schema';
export { PRICE_REFRESH_INTERVAL_MS, PriceBook, readBundledCatalog, savedPricesRow, type PriceBookDeps, type SavedPrices, type StartRefresh } from './price-book';
export { AvailableModels, type AvailableModelsDeps } from './available-models';
export { LIVE_LIST_MAX_AGE_MS, LiveModels, type LiveModel, type LiveModelsDeps, type LiveRefresh } from './live-models';
