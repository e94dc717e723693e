/**
 * The model-call interface at the bottom of the house (issue #10): what a provider adapter
 * implements (`ChatProvider`), what it is asked (`ChatRequest`) and the parts it streams back
 * (`StreamPart`, after the Vercel AI SDK provider spec). Providers implement it, the reliability
 * layer and the runner consume it; this file imports nothing from src/main.
 */
import type { ModelInfo, TokenUsage } from '../../shared/contract';
import type { SwitchboardError } from '../../shared/errors';

export interface ChatMessage {
  /** `tool`: the result of a tool call the assistant asked for (issue #15), answering `toolCallId`. */
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** An assistant turn that asked for tools (its `content` may be empty). */
  toolCalls?: ToolCall[];
  /** A `tool` turn: the call it answers. */
  toolCallId?: string;
}

/** One function call a model asked for, as OpenAI's `tool_calls[]` carries it (arguments as a JSON string). */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A function a model may call (OpenAI's `tools[].function`): its parameters as a JSON schema. */
export interface ToolSpec {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

/** OpenAI's `tool_choice`: let the model decide, forbid, require any, or require one by name. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export interface ChatOptions {
  temperature?: number;
  maxTokens?: number;
  /** Ask for JSON matching this schema (provider-native structured output where supported). */
  jsonSchema?: Record<string, unknown>;
  /** Sequences that end the reply where they appear (not included in it). */
  stop?: string[];
  /** Context window to run with (Ollama's `num_ctx`, issue #13); other providers ignore it. */
  numCtx?: number;
  /** Functions the model may call (issue #15); only providers and models that support tools get them. */
  tools?: ToolSpec[];
  toolChoice?: ToolChoice;
}

export interface ChatRequest {
  /** The provider-local model name (the part after `provider/`). */
  model: string;
  messages: ChatMessage[];
  options?: ChatOptions;
  signal?: AbortSignal;
}

export type FinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'other';

/**
 * Token counts of one call. `inputTokens` is every prompt token, cached or not; `cachedInputTokens`
 * (read from a prompt cache) and `cacheWriteTokens` (written to one) are the parts of it billed at
 * the cache prices. Providers that report them apart (Anthropic) are summed up to this shape.
 */
/** Tokens of one call: the contract's TokenUsage (a route attempt's, a council member's, a task's `usage`). */
export type Usage = TokenUsage;

/**
 * What a chat stream yields, as a discriminated union (after the Vercel AI SDK provider spec).
 * Consumers ignore types they do not know, so new parts can be added without breaking them.
 */
export type StreamPart =
  /** The response headers arrived: the connect phase is over (the reliability layer times phases). */
  | { type: 'stream-start' }
  | { type: 'text-delta'; text: string }
  /** A complete tool call (providers assemble streamed argument fragments before yielding it). */
  | { type: 'tool-call'; call: ToolCall }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; reason: FinishReason }
  /** The reliability layer gave up on `from` before any text reached the caller and moves to `to`. */
  | { type: 'fallback'; from: string; to: string; error: SwitchboardError }
  | {
      type: 'error';
      error: SwitchboardError;
      /** True when text had already been streamed: the caller keeps it (the reply is incomplete). */
      partial?: boolean;
      /** Candidates not tried yet, for "continue on another model". */
      remaining?: string[];
    };

/** Where providers report the rate-limit headers of every response (the reliability layer's tracker). */
export interface RateLimitObserver {
  /**
   * `key` is what the limits apply to: a model id (`groq/llama-3.1-8b-instant`: Groq and OpenAI count
   * per model) or a provider id (`anthropic`: counted per organisation).
   */
  observe(key: string, headers: Headers): void;
}

export interface EmbedRequest {
  model: string;
  input: string[];
  signal?: AbortSignal;
}

/**
 * A model as a provider's own list describes it (issue #15): the contract's ModelInfo, with the
 * price in USD per 1M tokens when the list carries one (OpenRouter's `pricing`).
 */
export interface ListedModel extends ModelInfo {
  price?: { input: number; output: number } | null;
}

export interface ChatProvider {
  readonly id: string;
  listModels(signal?: AbortSignal): Promise<ListedModel[]>;
  /** Streams parts; errors arrive as an `error` part, never as a throw from the iterator. */
  streamChat(request: ChatRequest): AsyncIterable<StreamPart>;
  embed?(request: EmbedRequest): Promise<number[][]>;
  /** What a model can do, when the provider says (Ollama's /api/show `capabilities`: completion, tools, vision, embedding). */
  capabilities?(model: string, signal?: AbortSignal): Promise<string[]>;
}
