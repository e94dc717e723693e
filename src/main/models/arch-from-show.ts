import { SwitchboardError } from '../../shared/errors';
import type { ModelArch } from './fit';

/**
 * The estimator's ModelArch from Ollama's /api/show `model_info`: the GGUF key/values
 * `general.architecture`, `<arch>.block_count`, `<arch>.embedding_length`,
 * `<arch>.attention.head_count(_kv)`, `<arch>.attention.key_length`, `<arch>.context_length`,
 * `<arch>.vocab_size` (or the tokenizer's token list when Ollama sends it), `general.parameter_count`,
 * `<arch>.expert_count` and `<arch>.attention.sliding_window`.
 *
 * What the metadata does not say (tied embeddings; gemma3's one-global-in-six layer pattern, which
 * llama.cpp hard-codes) comes from the catalog entry of the same tag when there is one.
 */
export function archFromModelInfo(modelInfo: Record<string, unknown>, model: string, fallback?: ModelArch): ModelArch {
  const family = typeof modelInfo['general.architecture'] === 'string' ? modelInfo['general.architecture'] : undefined;
  if (!family) {
    throw new SwitchboardError('invalid_input', `Ollama did not report the architecture of ${model} (no general.architecture in /api/show), so its memory cannot be estimated.`);
  }
  const key = (name: string): unknown => modelInfo[`${family}.${name}`];
  const missing: string[] = [];
  const required = (name: string, fromFallback: number | undefined): number => {
    const value = positive(key(name)) ?? fromFallback;
    if (value === undefined) missing.push(`${family}.${name}`);
    return value ?? 1;
  };

  const layers = required('block_count', fallback?.layers);
  const embeddingLength = required('embedding_length', fallback?.embeddingLength);
  const headCount = required('attention.head_count', fallback?.headCount);
  const contextLength = required('context_length', fallback?.contextLength);
  if (missing.length > 0) {
    throw new SwitchboardError('invalid_input', `Ollama's metadata for ${model} lacks ${missing.join(', ')}, so its memory cannot be estimated.`);
  }
  const tokens = modelInfo['tokenizer.ggml.tokens'];
  const vocabSize = positive(key('vocab_size')) ?? (Array.isArray(tokens) && tokens.length > 0 ? tokens.length : undefined) ?? fallback?.vocabSize;
  const slidingWindow = positive(key('attention.sliding_window')) ?? fallback?.slidingWindow;
  const pattern = positive(key('attention.sliding_window_pattern')) ?? fallback?.slidingWindowPattern ?? (family === 'gemma3' ? 6 : undefined);

  const arch: ModelArch = {
    family,
    layers,
    embeddingLength,
    headCount,
    headCountKv: positive(key('attention.head_count_kv')) ?? fallback?.headCountKv ?? headCount,
    contextLength,
  };
  const optional: Partial<ModelArch> = {
    headDim: positive(key('attention.key_length')) ?? fallback?.headDim,
    vocabSize,
    parameterCount: positive(modelInfo['general.parameter_count']) ?? fallback?.parameterCount,
    expertCount: positive(key('expert_count')) ?? fallback?.expertCount,
    tiedEmbeddings: fallback?.tiedEmbeddings,
    slidingWindow: slidingWindow !== undefined && pattern !== undefined ? slidingWindow : undefined,
    slidingWindowPattern: slidingWindow !== undefined && pattern !== undefined ? pattern : undefined,
  };
  for (const [name, value] of Object.entries(optional)) {
    if (value !== undefined) (arch as Record<string, unknown>)[name] = value;
  }
  return arch;
}

/**
 * A positive integer, or undefined. Some architectures give per-layer arrays (OpenELM's head
 * counts); the largest entry is what sizes the biggest layer.
 */
function positive(value: unknown): number | undefined {
  if (Array.isArray(value)) {
    const numbers = value.filter((v): v is number => typeof v === 'number' && v > 0);
    return numbers.length > 0 ? Math.max(...numbers) : undefined;
  }
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
}
