import { z } from 'zod';
import { call } from './define';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The response cache's user settings (Settings → Cache), stored in `Settings.cache`. Only what the
 * user changes is stored; the defaults live with the cache (src/main/cache/cache-settings.ts).
 * Bounds as the cache's own: below 0.8 two different questions on one topic start to match.
 */
export const CacheSettingsInput = z
  .object({
    enabled: z.boolean(),
    semanticEnabled: z.boolean(),
    threshold: z.number().min(0.8, 'similarity threshold is at least 0.8').max(1),
    ttlMs: z.number().int().min(60_000, 'keep answers at least a minute').max(365 * DAY_MS),
  })
  .partial()
  .strict();
export type CacheSettingsInput = z.infer<typeof CacheSettingsInput>;

/** How a cached reply matched: the same request, or a prompt close enough in meaning. */
export const CacheKind = z.enum(['exact', 'semantic']);
export type CacheKind = z.infer<typeof CacheKind>;

/** A reply served from the cache: how it matched and what the original call cost. */
export const MessageCache = z.object({
  kind: CacheKind,
  /** Cosine similarity of the prompts (semantic hits); null for exact hits. */
  similarity: z.number().nullable(),
  /** What the original call cost, saved by not calling again (USD; 0 for local and free models). */
  savedUsd: z.number(),
});
export type MessageCache = z.infer<typeof MessageCache>;

export const CacheKindStats = z.object({ hits: z.number(), tokensSaved: z.number(), usdSaved: z.number() });
export type CacheKindStats = z.infer<typeof CacheKindStats>;

/** Lifetime counters (since the last reset) and what the cache holds now. */
export const CacheStats = z.object({
  entries: z.number(),
  bytes: z.number(),
  hits: z.number(),
  misses: z.number(),
  /** Lookups not attempted: opted-out conversations, sampling temperatures, tool results. Not part of the hit rate. */
  skipped: z.number(),
  /** hits / (hits + misses); 0 before the first lookup. */
  hitRate: z.number(),
  tokensSaved: z.number(),
  usdSaved: z.number(),
  byKind: z.object({ exact: CacheKindStats, semantic: CacheKindStats }),
});
export type CacheStats = z.infer<typeof CacheStats>;

export const CacheStatus = z.object({
  enabled: z.boolean(),
  exact: z.enum(['ready', 'disabled']),
  semantic: z.enum(['ready', 'unavailable', 'disabled']),
  /** Why semantic matching is not running, and what to do ("pull nomic-embed-text"). */
  reason: z.string().nullable(),
  embeddingModel: z.string().nullable(),
});
export type CacheStatus = z.infer<typeof CacheStatus>;

/**
 * The settings in force (stored values over the defaults). The cache's own settings schema
 * (src/main/cache/cache-settings.ts) extends this one with the limits the user does not edit, and
 * parses with these bounds.
 */
export const CacheSettingsState = z.object({
  enabled: z.boolean(),
  /** Semantic matching on top of the exact cache (needs an embedding model). */
  semanticEnabled: z.boolean(),
  /** Below 0.8 two different questions on one topic start to match. */
  threshold: z.number().min(0.8).max(1),
  ttlMs: z.number().int().positive(),
  /**
   * Replies sampled above this are one draw among many, not the answer: they are neither stored
   * nor served. An unset temperature means the provider's default (0.8 for Ollama, 1.0 for OpenAI
   * and Anthropic), so it is treated as above the limit.
   */
  maxTemperature: z.number().min(0).max(2),
});
export type CacheSettingsState = z.infer<typeof CacheSettingsState>;

export const cacheCalls = {
  /** Settings → Cache: what runs, with which settings, and the counters. */
  'cache.status': call(z.object({}).strict(), z.object({ status: CacheStatus, settings: CacheSettingsState, stats: CacheStats })),
  /** The savings alone, for the Dashboard. */
  'cache.stats': call(z.object({}).strict(), CacheStats),
  /** Empties the cache; `resetStats` also zeroes the counters. */
  'cache.clear': call(z.object({ resetStats: z.boolean().optional() }).strict(), z.object({ cleared: z.number() })),
};
