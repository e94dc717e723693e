import type { ModelInfo } from '../../shared/contract';
import type { SwitchboardError } from '../../shared/errors';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatOptions {
  temperature?: number;
  maxTokens?: number;
  /** Ask for JSON matching this schema (provider-native structured output where supported). */
  jsonSchema?: Record<string, unknown>;
}

export interface ChatRequest {
  /** The provider-local model name (the part after `provider/`). */
  model: string;
  messages: ChatMessage[];
  options?: ChatOptions;
  signal?: AbortSignal;
}

export type FinishReason = 'stop' | 'length' | 'content-filter' | 'other';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  /** True when counted by us because the provider reported none. */
  estimated: boolean;
}

/** What a chat stream yields, as a discriminated union (after the Vercel AI SDK provider spec). */
export type StreamPart =
  | { type: 'text-delta'; text: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; reason: FinishReason }
  | { type: 'error'; error: SwitchboardError };

export interface EmbedRequest {
  model: string;
  input: string[];
  signal?: AbortSignal;
}

export interface ChatProvider {
  readonly id: string;
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  /** Streams parts; errors arrive as an `error` part, never as a throw from the iterator. */
  streamChat(request: ChatRequest): AsyncIterable<StreamPart>;
  embed?(request: EmbedRequest): Promise<number[][]>;
}
