import { z } from 'zod';
import { SerializedError } from '../errors';

/**
 * Wire shapes of hardware detection, memory-fit estimates, recommendations, Ollama's lifecycle and
 * model pulls. Pure zod: the main process builds these values, the renderer and the CLI read them.
 */

// ---- Hardware (the HardwareReport of src/main/hardware, which re-exports these) ----
export const GpuVendor = z.enum(['nvidia', 'amd', 'apple', 'intel', 'other']);
export type GpuVendor = z.infer<typeof GpuVendor>;

export const GpuInfo = z.object({
  index: z.number().int().nonnegative(),
  vendor: GpuVendor,
  name: z.string(),
  /** Dedicated VRAM; for Apple Silicon the GPU working set macOS allows (not all of RAM). */
  vramBytes: z.number().nonnegative(),
  /** Null when the probe cannot say how much is free right now. */
  freeVramBytes: z.number().nonnegative().nullable(),
  driver: z.string().optional(),
  /** Integrated GPUs share system RAM and are not offload targets for Ollama's CUDA/ROCm/Metal runners. */
  integrated: z.boolean().optional(),
  /** Which probe produced this entry: `nvidia-smi`, `rocm-smi`, `sysfs`, `sysctl`, `systeminformation`. */
  source: z.string(),
});
export type GpuInfo = z.infer<typeof GpuInfo>;

export const HardwareReport = z.object({
  gpus: z.array(GpuInfo),
  ramBytes: z.number().nonnegative(),
  freeRamBytes: z.number().nonnegative(),
  unifiedMemory: z.boolean(),
  /** Apple Silicon only: bytes the GPU may wire (iogpu.wired_limit_mb, or macOS's default share of RAM). */
  gpuWorkingSetBytes: z.number().nonnegative().optional(),
  cpu: z.object({
    model: z.string(),
    cores: z.number().int().nonnegative(),
    threads: z.number().int().nonnegative(),
  }),
  platform: z.string(),
  arch: z.string(),
  disk: z.object({
    /** The Ollama models directory, or the folder we fell back to. */
    path: z.string(),
    freeBytes: z.number().nonnegative().nullable(),
  }),
  /** One line per thing we could not find out: "NVIDIA GPU: unknown, because …". */
  notes: z.array(z.string()),
  detectedAt: z.string(),
});
export type HardwareReport = z.infer<typeof HardwareReport>;

// ---- Fit estimates ----
export const KvCacheType = z.enum(['f16', 'q8_0', 'q4_0']);
export type KvCacheType = z.infer<typeof KvCacheType>;

export const FitVerdict = z.enum(['full-gpu', 'partial', 'cpu-only', 'wont-fit']);
export type FitVerdict = z.infer<typeof FitVerdict>;

/** The estimator's answer (src/main/models/fit/estimate-fit.ts). */
export const FitEstimate = z.object({
  /** All weights (the whole GGUF), wherever they end up. */
  weightsBytes: z.number(),
  kvCacheBytes: z.number(),
  /** Compute buffer: the full-offload graph when everything is on GPU, else the partial one. */
  graphBytes: z.number(),
  /** Per-GPU minimum, Ollama's one-layer safety buffer and OLLAMA_GPU_OVERHEAD, on each GPU used. */
  overheadBytes: z.number(),
  /** weights + KV + graph + overhead: what the scheduler must find across VRAM and RAM. */
  totalBytes: z.number(),
  /** Expected VRAM in use once loaded (what nvidia-smi shows): reservations without the safety buffer. */
  vramBytes: z.number(),
  /** System RAM for the CPU-resident part: untied token embeddings, layers that did not fit. */
  cpuBytes: z.number(),
  /** What the scheduler reserves on each input GPU (0 where unused), safety buffer included. */
  perGpuBytes: z.array(z.number()),
  verdict: FitVerdict,
  /** Layers on GPU, counting the output layer as one (Ollama's "layers.offload"). */
  gpuLayers: z.number(),
  /** Repeating layers + 1 output layer (Ollama's "layers.model"). */
  totalLayers: z.number(),
  /** Largest context (multiple of 256, ≤ trained) that still loads full-gpu; 0 when none does. */
  maxFullGpuCtx: z.number(),
  contextLength: z.number(),
  kvCacheType: KvCacheType,
  reasons: z.array(z.string()),
});
export type FitEstimate = z.infer<typeof FitEstimate>;

/** What a local model is for. The seed's tiers: a router, coders, a build validator; plus chat and embeddings. */
export const LocalRole = z.enum(['router', 'coder', 'validator', 'chat', 'embeddings']);
export type LocalRole = z.infer<typeof LocalRole>;

/** `localModels.fit`: the estimate plus where the architecture came from. */
export const ModelFit = FitEstimate.extend({
  model: z.string(),
  /** `installed`: GGUF metadata from Ollama's /api/show; `catalog`: resources/local-models.json; `gguf`: the Hugging Face file's header, before a pull. */
  archSource: z.enum(['installed', 'catalog', 'gguf']),
  fileSizeBytes: z.number(),
  /** The Hugging Face file whose header was read (archSource `gguf`). */
  file: z.string().optional(),
  /** The measured/estimated factor applied (null: no calibration samples on this machine yet). */
  calibration: z.number().nullable(),
});
export type ModelFit = z.infer<typeof ModelFit>;

/** One model on ollama.com/library as its search page lists it (issue #13: suggestions in the pull box). */
export const LibrarySearchResult = z.object({
  name: z.string(),
  description: z.string(),
  /** "tools", "vision", "thinking", "embedding" … */
  capabilities: z.array(z.string()),
  /** Parameter sizes as tags: "0.5b", "7b" … (empty: only `latest`). */
  sizes: z.array(z.string()),
  /** As the page shows it: "27.7K". */
  pulls: z.string().nullable(),
  /** As the page shows it: "3 weeks ago". */
  updated: z.string().nullable(),
});
export type LibrarySearchResult = z.infer<typeof LibrarySearchResult>;

/** `localModels.searchLibrary`: `available` false offline or when ollama.com cannot be read; free text still works. */
export const LibrarySearch = z.object({ available: z.boolean(), reason: z.string().optional(), results: z.array(LibrarySearchResult) });
export type LibrarySearch = z.infer<typeof LibrarySearch>;

/** Where a recommended model runs: held in VRAM, pinned to the CPU, or swapped in and out of VRAM. */
export const Placement = z.enum(['gpu', 'cpu', 'swap']);
export type Placement = z.infer<typeof Placement>;

export const RoleRecommendation = z.object({
  role: LocalRole,
  model: z.string().nullable(),
  contextLength: z.number(),
  fit: FitEstimate.nullable(),
  placement: Placement.nullable(),
  installed: z.boolean(),
  reason: z.string(),
  /** Download size from the catalog. */
  downloadBytes: z.number().nullable(),
});
export type RoleRecommendation = z.infer<typeof RoleRecommendation>;

/** The machine's class for local models: by total GPU memory, or by RAM without a usable GPU. */
export const HardwareTier = z.enum(['cpu-only', 'small-gpu', 'mid-gpu', 'large-gpu']);
export type HardwareTier = z.infer<typeof HardwareTier>;

export const Recommendation = z.object({
  tier: HardwareTier,
  roles: z.array(RoleRecommendation),
  /** Router, coder and embeddings all held in VRAM at once (CPU-only: all in the RAM budget). */
  residentTogether: z.boolean(),
  swapNote: z.string().optional(),
  kvCacheType: KvCacheType,
  gpuBudgetBytes: z.number(),
  ramBudgetBytes: z.number(),
  /** The measured/estimated factor applied (null: no calibration samples on this machine yet). */
  calibration: z.number().nullable(),
});
export type Recommendation = z.infer<typeof Recommendation>;

// ---- The Models page ----
export const InstalledModel = z.object({
  name: z.string(),
  sizeBytes: z.number(),
  family: z.string().nullable(),
  parameterSize: z.string().nullable(),
  quantization: z.string().nullable(),
  modifiedAt: z.string().nullable(),
  fit: FitEstimate.nullable(),
  /** Why there is no fit (metadata Ollama did not give us). */
  fitError: z.string().nullable(),
});
export type InstalledModel = z.infer<typeof InstalledModel>;

export const LoadedModel = z.object({
  name: z.string(),
  /** Ollama's /api/ps `size`: all the memory the loaded model holds. */
  sizeBytes: z.number(),
  /** /api/ps `size_vram`; the rest is in system RAM. */
  vramBytes: z.number(),
  gpuPercent: z.number(),
  contextLength: z.number().nullable(),
  expiresAt: z.string().nullable(),
});
export type LoadedModel = z.infer<typeof LoadedModel>;

export const CatalogModel = z.object({
  tag: z.string(),
  roles: z.array(LocalRole),
  family: z.string(),
  parameterCount: z.number(),
  quantization: z.string(),
  sizeBytes: z.number(),
  notes: z.string(),
  installed: z.boolean(),
  fit: FitEstimate,
});
export type CatalogModel = z.infer<typeof CatalogModel>;

export const ModelsOverview = z.object({
  ollama: z.object({ host: z.string(), reachable: z.boolean(), error: z.string().nullable() }),
  installed: z.array(InstalledModel),
  loaded: z.array(LoadedModel),
  catalog: z.array(CatalogModel),
  contextLength: z.number(),
  kvCacheType: KvCacheType,
  calibration: z.number().nullable(),
  hardware: z.object({ gpuName: z.string().nullable(), vramBytes: z.number(), ramBytes: z.number(), unifiedMemory: z.boolean() }),
});
export type ModelsOverview = z.infer<typeof ModelsOverview>;

export const CalibrationSample = z.object({
  model: z.string(),
  contextLength: z.number(),
  kvCacheType: KvCacheType,
  measuredBytes: z.number(),
  measuredVramBytes: z.number(),
  estimatedBytes: z.number(),
  estimatedVramBytes: z.number(),
  ratio: z.number(),
  createdAt: z.number(),
});
export type CalibrationSample = z.infer<typeof CalibrationSample>;

// ---- Pulls ----
export const PullState = z.enum(['pulling', 'retrying', 'completed', 'failed', 'cancelled']);
export type PullState = z.infer<typeof PullState>;

export const PullJob = z.object({
  id: z.string(),
  model: z.string(),
  state: PullState,
  /** Ollama's own status line: "pulling manifest", "pulling 6a0746a1ec1a", "verifying sha256 digest" … */
  status: z.string(),
  completedBytes: z.number(),
  totalBytes: z.number(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  /** 1 for the first request; each resume after a dropped connection adds one. */
  attempt: z.number(),
  startedAt: z.number(),
  updatedAt: z.number(),
  error: SerializedError.nullable(),
});
export type PullJob = z.infer<typeof PullJob>;

// ---- Ollama lifecycle ----
export const InstallGuidance = z.object({
  platform: z.string(),
  summary: z.string(),
  steps: z.array(z.string()),
  /** A command to paste in a terminal, when the platform has one. */
  command: z.string().nullable(),
  url: z.string(),
});
export type InstallGuidance = z.infer<typeof InstallGuidance>;

export const OllamaLifecycleStatus = z.object({
  host: z.string(),
  /** The host is this machine, so Switchboard could start Ollama itself. */
  local: z.boolean(),
  installed: z.boolean(),
  binaryPath: z.string().nullable(),
  running: z.boolean(),
  version: z.string().nullable(),
  startedByUs: z.boolean(),
  guidance: InstallGuidance.nullable(),
  error: z.string().nullable(),
});
export type OllamaLifecycleStatus = z.infer<typeof OllamaLifecycleStatus>;
