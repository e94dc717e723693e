export { estimateFit, CUDA_MINIMUM_BYTES, METAL_MINIMUM_BYTES, DEFAULT_CONTEXT, DEFAULT_BATCH } from './estimate-fit';
export { graphSize, kvCacheBytes, KV_BYTES_PER_ELEMENT, type GraphSize } from './graph-size';
export { ModelArch, KvCacheType, type FitInput, type FitGpu, type FitEstimate, type FitVerdict } from './types';
export {
  LocalCatalog,
  LocalModelEntry,
  LocalRole,
  LOCAL_CATALOG_RELATIVE_PATH,
  parseLocalCatalog,
  readLocalCatalog,
  modelsForRole,
  archOf,
} from './local-catalog';
export {
  recommendModels,
  fitGpus,
  ramBudgetOf,
  tierOf,
  TARGET_CONTEXT,
  type Recommendation,
  type RoleRecommendation,
  type RecommendInput,
  type HardwareTier,
  type Placement,
} from './recommend';
