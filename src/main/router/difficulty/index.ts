/**
 * Issue #11: routing that knows difficulty. A per-tier estimate of answering well from cheap
 * features (features.ts, estimator.ts, trained by bench/router-data), the start tier it implies
 * against the Savings ↔ Quality dial (start-tier.ts), and what the user's outcomes teach.
 */
import type { ChatMessage } from '../../runner';
import type { RequestAnalysis } from '../types';
import type { DifficultyEstimator } from './estimator';

export { bundledEstimator, DIFFICULTY_WEIGHTS_RELATIVE_PATH, DifficultyEstimator, DifficultyWeights, type DifficultyEstimate, type TierQuality } from './estimator';
export { extractFeatures, HASH_BUCKETS, STRUCTURAL_FEATURES, type RequestFeatures } from './features';
export { cheapestTierClearing, CLEARLY_SIMPLER_DROP, followUpFloor, higherTier, TIER_ORDER, tierRank, type TierFloor } from './start-tier';

/** The analysis with the estimator's difficulty and per-tier quality added (the last user message, the turns before it). */
export function withDifficulty(analysis: RequestAnalysis, messages: readonly ChatMessage[], estimator: DifficultyEstimator): RequestAnalysis {
  let last = '';
  let userTurns = 0;
  for (const m of messages) {
    if (m.role !== 'user') continue;
    userTurns += 1;
    last = m.content;
  }
  const e = estimator.estimate({ text: last, priorTurns: Math.max(0, userTurns - 1) });
  return { ...analysis, difficulty: e.difficulty, predictedQuality: e.quality };
}
