import type { Tier } from '../../../shared/contract';

/** Cheapest first: the order tiers are tried in and compared by. */
export const TIER_ORDER: readonly Tier[] = ['local', 'free', 'paid'];
export const tierRank = (t: Tier): number => TIER_ORDER.indexOf(t);
export const higherTier = (a: Tier, b: Tier): Tier => (tierRank(a) >= tierRank(b) ? a : b);

/** What holds a request's first attempt up: the previous turn's tier, or what similar requests needed. */
export interface TierFloor {
  tier: Tier;
  reason: string;
}

/** Issue #11's dial default when no weights say otherwise (the shipped weights' `defaultThreshold` is used). */
export const DEFAULT_DIFFICULTY = { enabled: true, learnFromOutcomes: true } as const;

/**
 * The cheapest tier whose predicted chance of answering as well as a paid model clears the dial's
 * threshold (issue #11). Paid is the yardstick, so it always clears.
 */
export function cheapestTierClearing(quality: { local: number; free: number }, threshold: number): Tier {
  if (quality.local >= threshold) return 'local';
  if (quality.free >= threshold) return 'free';
  return 'paid';
}

/** A follow-up is "clearly simpler" than the turn before when its estimated difficulty drops by this much (our choice). */
export const CLEARLY_SIMPLER_DROP = 0.3;

/**
 * Issue #11: a follow-up turn starts no lower than the previous turn's tier, unless it is clearly
 * simpler (small talk, or a difficulty well below the previous turn's).
 */
export function followUpFloor(
  previous: { tier: Tier; difficulty?: number } | null,
  current: { difficulty?: number; smallTalk: boolean },
): TierFloor | null {
  if (previous === null || previous.tier === 'local') return null;
  if (current.smallTalk) return null;
  if (previous.difficulty !== undefined && current.difficulty !== undefined && previous.difficulty - current.difficulty >= CLEARLY_SIMPLER_DROP) return null;
  return { tier: previous.tier, reason: `the previous turn of this conversation was answered on ${previous.tier}` };
}
