import type { KvCacheType, ModelArch } from './types';

/**
 * KV cache and compute-graph sizes, after Ollama's `GGML.GraphSize` (ollama/ollama fs/ggml/ggml.go).
 *
 * KV bytes = Σ_layers positions × (key_length + value_length) × head_count_kv × bytes/element,
 * positions = num_ctx × num_parallel (sliding layers: window × parallel + batch, as Ollama does for
 * gemma3). Bytes per element are llama.cpp's block sizes: f16 = 2, q8_0 = 34/32 (32 int8 + one f16
 * scale per block), q4_0 = 18/32. Ollama's estimator rounds the quantised ones to 1 and 0.5; the block
 * sizes match llama.cpp's own log: 41 layers of a 72B at 8192 ctx, q8_0 → "KV buffer size = 697.00 MiB"
 * (ollama/ollama#5091) = 41 × 8192 × 2048 × 34/32 bytes exactly.
 *
 * Graph (compute buffer) formulas are Ollama's, per architecture, in bytes; b = batch, c = context
 * (× parallel), e = embedding, h = heads, v = vocabulary. They reproduce llama.cpp's "compute buffer
 * size" lines exactly for the dense models we checked (see test/fixtures/hardware/measured-vectors.ts).
 * Architectures Ollama has no formula for fall back to its default: partial = GQA × KV / 6.
 */
export const KV_BYTES_PER_ELEMENT: Record<KvCacheType, number> = {
  f16: 2,
  q8_0: 34 / 32,
  q4_0: 18 / 32,
};

export function headDimOf(arch: ModelArch): number {
  return arch.headDim ?? Math.floor(arch.embeddingLength / arch.headCount);
}

/** Total KV cache bytes for `positions` = context × parallel. */
export function kvCacheBytes(arch: ModelArch, positions: number, type: KvCacheType, batch: number, parallel: number): number {
  const perPosition = 2 * headDimOf(arch) * arch.headCountKv * KV_BYTES_PER_ELEMENT[type];
  const window = arch.slidingWindow;
  const pattern = arch.slidingWindowPattern;
  let total = 0;
  for (let i = 0; i < arch.layers; i++) {
    const global = window === undefined || pattern === undefined || (i + 1) % pattern === 0;
    const cells = global ? positions : Math.min(positions, window * parallel + batch);
    total += cells * perPosition;
  }
  return Math.round(total);
}

export interface GraphSize {
  partial: number;
  full: number;
  /** Which formula was used, for the reasons list. */
  formula: string;
}

const FAMILY_FORMULA: Record<string, string> = {
  llama: 'llama',
  mistral: 'llama',
  qwen2: 'qwen2',
  // qwen3 runs on Ollama's own engine, which measures instead of using GraphSize; its block layout
  // (plus q/k norms) is qwen2's, so we borrow that formula.
  qwen3: 'qwen2',
  gemma: 'gemma',
  gemma2: 'gemma',
  gemma3: 'gemma',
  phi2: 'phi2',
  'command-r': 'command-r',
};

export function graphSize(arch: ModelArch, context: number, batch: number, kvBytes: number): GraphSize {
  const b = batch;
  const c = context;
  const e = arch.embeddingLength;
  const h = arch.headCount;
  const hkv = arch.headCountKv;
  const hd = headDimOf(arch);
  const v = arch.vocabSize ?? 0;
  const vocabPartial = 4 * b * (e + v) + (e * v * 105) / 128;
  const formula = FAMILY_FORMULA[arch.family ?? ''] ?? 'default';
  switch (formula) {
    case 'llama':
      return {
        formula,
        full: Math.max(4 * b * (1 + 4 * e + c * (1 + h)), 4 * b * (e + v)),
        partial:
          4 * b * e +
          Math.max(4 * b * (1 + e + Math.max(c, e)) + (e * e * 9) / 16 + 4 * c * (b * h + hd * hkv), vocabPartial),
      };
    case 'qwen2':
      return {
        formula,
        full: Math.max(4 * b * (e + v), 4 * b * (1 + 2 * e + c + c * h)),
        partial: Math.max(vocabPartial, 4 * (b * (1 + 2 * e + c * (1 + h)) + e * (1 + c))),
      };
    case 'gemma':
      return {
        formula,
        full: Math.max(4 * b * (e + v), 4 * b * (2 + c + c * h + 2 * e + 2 * hd * h)),
        partial: Math.max(
          4 * e * b + (e * v * 105) / 128 + 4 * v * b,
          4 * b * (2 * e + 1 + 2 * hd * h + c + c * h) + 4 * hd * c * 8 + (e * hd * h * 9) / 16,
        ),
      };
    case 'phi2':
      return {
        formula,
        full: Math.max(4 * b * (e + v), 4 * b * (1 + 4 * e + c + c * h)),
        partial: Math.max(4 * b * (2 * e + v) + (e * v * 105) / 128, 4 * b * (2 + 3 * e + c + c * h)),
      };
    case 'command-r':
      return {
        formula,
        full: Math.max(4 * b * (e + v), 4 * b * (2 + 4 * e + c * (1 + h))),
        partial: Math.max(vocabPartial, 4 * b * (1 + 2 * e + c * (1 + h)) + 4 * e * c + (e * e * 9) / 16),
      };
    default: {
      const partial = ((h / hkv) * kvBytes) / 6;
      return { formula, full: partial, partial };
    }
  }
}
