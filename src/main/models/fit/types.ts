import { z } from 'zod';
import { KvCacheType, type FitEstimate, type FitVerdict } from '../../../shared/contract/setup-types';

export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;

/** One definition each, in the shared contract (the wire shape of `localModels.fit`). */
export { KvCacheType, type FitEstimate, type FitVerdict };

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
