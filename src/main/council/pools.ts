import { COUNCIL_POOL_NAMES, type CouncilPoolName } from '../../shared/contract';

/**
 * Seed 001's tier pools: how long one model may take, by how hard the question is. The totals are
 * its TIER_TIMEOUTS (quick 30 s, balanced 90 s, high 180 s, reasoning 600 s). They apply to each
 * model call of a council (an answer, a review, the synthesis), not to the whole run.
 */
export type CouncilPool = CouncilPoolName;

export const COUNCIL_POOLS: readonly CouncilPool[] = COUNCIL_POOL_NAMES;

export const DEFAULT_POOL_TIMEOUTS_MS: Readonly<Record<CouncilPool, number>> = {
  quick: 30_000,
  balanced: 90_000,
  high: 180_000,
  reasoning: 600_000,
};

/** Per-model timeout: the run's explicit value ← Settings' pool override ← the seed's default. */
export function poolTimeoutMs(
  pool: CouncilPool,
  overrides: Partial<Record<CouncilPool, number>> = {},
  perModelTimeoutMs?: number,
): number {
  return perModelTimeoutMs ?? overrides[pool] ?? DEFAULT_POOL_TIMEOUTS_MS[pool];
}
