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
