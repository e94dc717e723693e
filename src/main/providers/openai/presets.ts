import type { Tier } from '../../../shared/contract';

/** One OpenAI-compatible service: where it lives, where its key comes from, what it supports. */
export interface OpenAICompatiblePreset {
  /** The provider id, the part before the slash in model ids. */
  id: string;
  /** Shown in messages: "The Groq API key was rejected". */
  displayName: string;
  defaultBaseUrl: string;
  /** Overrides the base URL (tests, proxies, a self-hosted gateway). */
  baseUrlEnv: string | null;
  /** Where the key lives when not in the keychain; null for endpoints that need none. */
  keyEnv: string | null;
  tier: Tier;
  /**
   * `json_schema`: `response_format: {type:'json_schema'}` (OpenAI structured outputs, Groq, OpenRouter).
   * `json_object`: JSON mode only (DeepSeek documents just `json_object`); the schema goes in a system message.
   */
  structuredOutput: 'json_schema' | 'json_object';
  /** OpenAI deprecated `max_tokens` for `max_completion_tokens`; the others still read `max_tokens`. */
  maxTokensParam: 'max_tokens' | 'max_completion_tokens';
}

export const OPENAI_COMPATIBLE_PRESETS = {
  groq: {
    id: 'groq',
    displayName: 'Groq',
    defaultBaseUrl: 'https://api.groq.com/openai/v1',
    baseUrlEnv: 'GROQ_BASE_URL',
    keyEnv: 'GROQ_API_KEY',
    tier: 'free', // seed 002, tier 2: the free cloud tier
    structuredOutput: 'json_schema',
    maxTokensParam: 'max_tokens',
  },
  openrouter: {
    id: 'openrouter',
    displayName: 'OpenRouter',
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
    baseUrlEnv: 'OPENROUTER_BASE_URL',
    keyEnv: 'OPENROUTER_API_KEY',
    tier: 'paid',
    structuredOutput: 'json_schema',
    maxTokensParam: 'max_tokens',
  },
  deepseek: {
    id: 'deepseek',
    displayName: 'DeepSeek',
    defaultBaseUrl: 'https://api.deepseek.com',
    baseUrlEnv: 'DEEPSEEK_BASE_URL',
    keyEnv: 'DEEPSEEK_API_KEY',
    tier: 'paid',
    structuredOutput: 'json_object',
    maxTokensParam: 'max_tokens',
  },
  openai: {
    id: 'openai',
    displayName: 'OpenAI',
    defaultBaseUrl: 'https://api.openai.com/v1',
    baseUrlEnv: 'OPENAI_BASE_URL',
    keyEnv: 'OPENAI_API_KEY',
    tier: 'paid',
    structuredOutput: 'json_schema',
    maxTokensParam: 'max_completion_tokens',
  },
} as const satisfies Record<string, OpenAICompatiblePreset>;

export type OpenAICompatiblePresetId = keyof typeof OPENAI_COMPATIBLE_PRESETS;

/**
 * A user-defined endpoint (LM Studio, vLLM, llama.cpp server): any base URL, a key only if it wants
 * one. Local by default, since that is what these servers usually are.
 */
export function customPreset(options: {
  id?: string;
  displayName?: string;
  baseUrl: string;
  keyEnv?: string | null;
  tier?: Tier;
  structuredOutput?: OpenAICompatiblePreset['structuredOutput'];
}): OpenAICompatiblePreset {
  return {
    id: options.id ?? 'custom',
    displayName: options.displayName ?? `the endpoint at ${options.baseUrl}`,
    defaultBaseUrl: options.baseUrl,
    baseUrlEnv: null,
    keyEnv: options.keyEnv ?? null,
    tier: options.tier ?? 'local',
    structuredOutput: options.structuredOutput ?? 'json_schema',
    maxTokensParam: 'max_tokens',
  };
}

/** The base URL in force: the env override when set, else the preset's. */
export function resolveBaseUrl(preset: OpenAICompatiblePreset, env: NodeJS.ProcessEnv): string {
  const fromEnv = preset.baseUrlEnv ? env[preset.baseUrlEnv]?.trim() : undefined;
  return (fromEnv || preset.defaultBaseUrl).replace(/\/+$/, '');
}
