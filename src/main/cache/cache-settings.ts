import { z } from 'zod';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Issue #6's defaults. Similarity 0.92: high enough that paraphrases of one question match and
 * different questions on one topic do not (the seed's "95%+ similar = cache hit" is the same idea);
 * the guards in prompt-guards.ts catch what cosine similarity cannot see (a "not", a number).
 */
export const CacheSettings = z.object({
  enabled: z.boolean(),
  /** Semantic matching on top of the exact cache (needs an embedding model). */
  semanticEnabled: z.boolean(),
  /** Below 0.8 two different questions on one topic start to match. */
  threshold: z.number().min(0.8).max(1),
  ttlMs: z.number().int().positive(),
  maxBytes: z.number().int().positive(),
  maxEntries: z.number().int().positive(),
  /**
   * Replies sampled above this are one draw among many, not the answer: they are neither stored
   * nor served. An unset temperature means the provider's default (0.8 for Ollama, 1.0 for OpenAI
   * and Anthropic), so it is treated as above the limit.
   */
  maxTemperature: z.number().min(0).max(2),
  /** How many nearest cached prompts are checked against the guards (issue #6: K = 5). */
  candidates: z.number().int().min(1).max(20),
});
export type CacheSettings = z.infer<typeof CacheSettings>;

export const DEFAULT_CACHE_SETTINGS: CacheSettings = {
  enabled: true,
  semanticEnabled: true,
  threshold: 0.92,
  ttlMs: 7 * DAY_MS,
  maxBytes: 50 * 1024 * 1024,
  // 50 MB holds about 10k entries of 768-d vectors and a few KB of text each.
  maxEntries: 10_000,
  maxTemperature: 0.3,
  candidates: 5,
};

export const CacheSettingsPatch = CacheSettings.partial();
export type CacheSettingsPatch = z.infer<typeof CacheSettingsPatch>;
