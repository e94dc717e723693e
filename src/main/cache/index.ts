/**
 * The response cache (issue #6): exact and semantic, in SQLite. The composition root builds one
 * CacheService on the app database (after migration 5) and an Embedder from an installed
 * embedding model; the chat path calls lookup() before a model call and store() after it.
 */
import type { EmbedRequest } from '../runner/chat-provider';
import type { Embedder } from './types';

export { CacheService, type CacheServiceOptions } from './cache-service';
export { CacheSettings, CacheSettingsPatch, DEFAULT_CACHE_SETTINGS } from './cache-settings';
export { NO_EMBEDDER_REASON } from './embedding-source';
export { LocalModelSync, PREFERRED_EMBEDDING_MODELS, type InstalledLocalModel, type LocalModelSyncOptions } from './local-model-sync';
export { oppositeMismatch, oppositeWordsIn } from './opposite-words';
export { extractGuards, guardMismatch, type GuardName, type PromptGuards } from './prompt-guards';
export { exactKey, normalizeText } from './cache-key';
export type { VectorExtensionLoader, VectorIndexOptions } from './vector-index';
export type {
  CacheClock, CacheHit, CacheKind, CacheKindStats, CacheMessage, CacheParams, CacheRequest, CacheStats, CacheStatus,
  Embedder, LookupResult, ReplyOutcome, StoreRequest, StoreResult,
} from './types';

/** Wraps a provider's embed (the Ollama provider's, say) with the installed embedding model. */
export function embedderFromProvider(
  provider: { embed?(request: EmbedRequest): Promise<number[][]> },
  model: string,
): Embedder | null {
  const embed = provider.embed?.bind(provider);
  if (!embed) return null;
  return { model, embed: (texts, signal) => embed({ model, input: texts, signal }) };
}
