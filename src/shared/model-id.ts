import type { Tier } from './contract';
import { SwitchboardError } from './errors';

/** Provider ids. Model ids are `provider/model`, e.g. `ollama/qwen2.5-coder:7b`, `openrouter/deepseek/deepseek-chat`. */
export const PROVIDER_IDS = ['ollama', 'groq', 'openrouter', 'deepseek', 'openai', 'anthropic', 'custom'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface ParsedModelId {
  provider: string;
  model: string;
}

/** Splits at the first slash only: the model part may hold slashes of its own (OpenRouter). */
export function parseModelId(id: string): ParsedModelId {
  const slash = id.indexOf('/');
  if (slash <= 0 || slash === id.length - 1) {
    throw new SwitchboardError(
      'invalid_input',
      `Model id "${id}" is not of the form provider/model (for example ollama/llama3.2:3b).`,
    );
  }
  return { provider: id.slice(0, slash), model: id.slice(slash + 1) };
}

export function formatModelId(provider: string, model: string): string {
  return `${provider}/${model}`;
}

/** The provider part of a model id (`ollama-gpu-box` of `ollama-gpu-box/llama3.1:8b`); '' when there is none. */
export function providerOf(modelId: string): string {
  return modelId.slice(0, Math.max(0, modelId.indexOf('/')));
}

/**
 * The primary Ollama host (`ollama`) or an extra one (`ollama-gpu-box`): its models run on the
 * user's own machines and must be installed there.
 */
export function isOllamaProvider(provider: string): boolean {
  return provider === 'ollama' || provider.startsWith('ollama-');
}

/**
 * The tier of a model by its provider alone, for a model neither the catalog nor Settings knows:
 * Ollama hosts and the generic `custom` provider are local, Groq is free, the rest paid. A user's
 * custom endpoint has the tier Settings gives it, and a catalog model the catalog's: callers ask
 * those first.
 */
export function tierOfProvider(provider: string): Tier {
  if (isOllamaProvider(provider) || provider === 'custom') return 'local';
  return provider === 'groq' ? 'free' : 'paid';
}
