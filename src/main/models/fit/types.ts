import { z } from 'zod';
import { KvCacheType } from '../../../shared/contract/setup-types';

export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;

/** One definition, in the shared contract (the wire shape of `localModels.fit`). */
export { KvCacheType };

/**
 * The GGUF metadata the estimator needs (`<arch>.block_count`, `.embedding_length`,
 * `.attention.head_count(_kv)`, `.attention.key_length`, `.context_length`, tokenizer size).
 */
export const ModelArch = z.object({
  /** GGUF `general.architecture`: picks the graph-size formula (llama, qwen2, qwen3, gemma2, gemma3, phi3, bert …). */
  family: z.string().optional(),
  layers: z.number().int().positive(),
  embeddingLength: z.number().int().positive(),
  headCount: z.number().int().positive(),
  headCountKv: z.number().int().positive(),
  /** `attention.key_length`; defaults to embeddingLength / headCount. */
  headDim: z.number().int().positive().optional(),
  vocabSize: z.number().int().positive().optional(),
  /** Trained context (`<arch>.context_length`). */
  contextLength: z.number().int().positive(),
  parameterCount: z.number().positive().optional(),
  expertCount: z.number().int().positive().optional(),
  /** The output projection reuses token_embd (no separate `output.weight`), so nothing stays CPU-only. */
  tiedEmbeddings: z.boolean().optional(),
  /** Sliding-window attention: local layers keep only this many positions (gemma3: 1024). */
  slidingWindow: z.number().int().positive().optional(),
  /** Every Nth layer is global, the others slide (gemma3: 6). */
  slidingWindowPattern: z.number().int().positive().optional(),
});
export type ModelArch = z.infer<typeof ModelArch>;

export interface FitGpu {
  vramBytes: number;
  /** Free right now; falls back to vramBytes when unknown. */
  freeVramBytes?: number | null;
  /** Per-GPU floor Ollama will not allocate into (CUDA/ROCm 457 MiB, Metal 512 MiB). */
  minimumBytes?: number;
}

export interface FitInput {
  arch: ModelArch;
  /** Size of the GGUF weights blob, as Ollama lists it. */
  fileSizeBytes: number;
  /** Requested num_ctx per sequence; default 4096 (Ollama's default below 24 GiB VRAM). */
  contextLength?: number;
  kvCacheType?: KvCacheType;
  /** num_batch; default 512. */
  batchSize?: number;
  /** OLLAMA_NUM_PARALLEL; the KV cache holds contextLength × parallel positions. Default 1. */
  parallel?: number;
  gpus: FitGpu[];
  /** Apple Silicon: no separate partial-offload graph, and VRAM and RAM are one pool. */
  unifiedMemory?: boolean;
  /** System RAM available to the CPU part of the model; without it only VRAM is checked. */
  ramBytes?: number;
  /** measured / estimated on this machine, from past loads; scales weights, KV and graph. */
  calibration?: number;
  /** OLLAMA_GPU_OVERHEAD, reserved on every GPU. */
  gpuOverheadBytes?: number;
}

export type FitVerdict = 'full-gpu' | 'partial' | 'cpu-only' | 'wont-fit';

export interface FitEstimate {
  /** All weights (the whole GGUF), wherever they end up. */
  weightsBytes: number;
  kvCacheBytes: number;
  /** Compute buffer: the full-offload graph when everything is on GPU, else the partial one. */
  graphBytes: number;
  /** Per-GPU minimum, Ollama's one-layer safety buffer and OLLAMA_GPU_OVERHEAD, on each GPU used. */
  overheadBytes: number;
  /** weights + KV + graph + overhead: what the scheduler must find across VRAM and RAM. */
  totalBytes: number;
  /** Expected VRAM in use once loaded (what nvidia-smi shows): reservations without the safety buffer. */
  vramBytes: number;
  /** System RAM for the CPU-resident part: untied token embeddings, layers that did not fit. */
  cpuBytes: number;
  /** What the scheduler reserves on each input GPU (0 where unused), safety buffer included. */
  perGpuBytes: number[];
  verdict: FitVerdict;
  /** Layers on GPU, counting the output layer as one (Ollama's "layers.offload"). */
  gpuLayers: number;
  /** Repeating layers + 1 output layer (Ollama's "layers.model"). */
  totalLayers: number;
  /** Largest context (multiple of 256, ≤ trained) that still loads full-gpu; 0 when none does. */
  maxFullGpuCtx: number;
  contextLength: number;
  kvCacheType: KvCacheType;
  reasons: string[];
}
