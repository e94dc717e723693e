import { z } from 'zod';
import { CacheSettingsState } from '../../shared/contract';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The cache's settings: the contract's CacheSettingsState (what Settings → Cache shows, with its
 * bounds) plus the limits the user does not edit.
 */
export const CacheSettings = CacheSettingsState.extend({
  maxBytes: z.number().int().positive(),
  maxEntries: z.number().int().positive(),
  /** How many nearest cached prompts are checked against the guards (issue #6: K = 5). */
  candidates: z.number().int().min(1).max(20),
});
export type CacheSettings = z.infer<typeof CacheSettings>;

/**
 * Issue #6's defaults. Similarity 0.92: high enough that paraphrases of one question match and
 * different questions on one topic do not (the seed's "95%+ similar = cache hit" is the same idea);
 * the guards in prompt-guards.ts catch what cosine similarity cannot see (a "not", a number).
 */
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
