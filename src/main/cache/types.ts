import type { CacheKind, CacheKindStats, CacheStats, CacheStatus as CacheStatusView } from '../../shared/contract';
import type { Usage } from '../runner/chat-provider';

/**
 * A message as the cache sees it: the provider's ChatMessage plus `tool`, so a conversation that
 * carries tool results can be recognised (and refused) once tools exist.
 */
export interface CacheMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
}

/** The request parameters that change the output, and so belong in the cache key. */
export interface CacheParams {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: readonly string[];
  jsonSchema?: Record<string, unknown>;
  seed?: number;
}

/** What identifies a request: the same for `lookup` and `store`. */
export interface CacheRequest {
  messages: readonly CacheMessage[];
  system?: string;
  /** The model id or tier key the caller asked for (what the answer is reused for). */
  modelKey: string;
  params?: CacheParams;
  /** The task type from the router (`code`, `chat`, ...): semantic hits never cross intents. */
  intent?: string;
  /** The conversation opted out of the cache: nothing is looked up or stored. */
  bypass?: boolean;
  /** True when tool calls or tool results took part (they make the answer depend on live data). */
  toolResults?: boolean;
  signal?: AbortSignal;
}

/** One definition, in the shared contract (a cached message's `cache.kind`). */
export type { CacheKind };

export interface CacheHit {
  kind: CacheKind;
  entryId: number;
  text: string;
  /** The model that produced the cached answer. */
  model: string;
  /** Cosine similarity between the prompts (semantic hits only). */
  similarity?: number;
  savedUsd: number;
  savedTokens: number;
}

export interface LookupResult {
  hit: CacheHit | null;
  /** Why it hit or missed, in words fit for a log line or a tooltip. */
  reason: string;
}

export type ReplyOutcome = 'complete' | 'partial' | 'error' | 'cancelled';

export interface StoreRequest extends CacheRequest {
  text: string;
  /** The model id that produced `text` (a tier key resolves to one). */
  model: string;
  /** The producing model's digest when known, so a re-pulled model can invalidate its answers. */
  modelDigest?: string;
  usage?: Usage;
  costUsd?: number;
  /** The router's quality gates passed for this reply. Only `true` is stored. */
  gatesPassed: boolean;
  /**
   * The temperature the provider actually applied, when it differs from `params.temperature`:
   * `null` when the provider ignored the parameter and ran at its default (the Anthropic provider
   * does not send it today). Undefined falls back to params.temperature.
   */
  temperature?: number | null;
  outcome: ReplyOutcome;
}

export interface StoreResult {
  stored: boolean;
  entryId?: number;
  /** The entry is also findable by meaning (an embedding was indexed). */
  semantic: boolean;
  reason: string;
}

/** Counters of the cache (`cache.stats`): the contract's CacheStats, its one definition. */
export type { CacheKindStats, CacheStats };

/**
 * What runs and why not: the contract's CacheStatus, except that the service leaves `reason` and
 * `embeddingModel` out when there is none (app-cache.ts sends them as null).
 */
export type CacheStatus = Omit<CacheStatusView, 'reason' | 'embeddingModel'> & {
  /** Why semantic matching is not running, and what to do about it. */
  reason?: string;
  embeddingModel?: string;
};

/** The injected embedding function: the app wraps the Ollama provider's embed with an installed model. */
export interface Embedder {
  /** Embedding model id; part of the semantic scope, so vectors of two models never meet. */
  model: string;
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

export interface CacheClock {
  now(): number;
}
