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
export { PriceBook, readBundledCatalog, type PriceBookDeps } from './price-book';
export { AvailableModels, type AvailableModelsDeps } from './available-models';
