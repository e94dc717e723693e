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
