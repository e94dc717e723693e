import fs from 'node:fs';
import { z } from 'zod';
import { SwitchboardError } from '../../../shared/errors';
import { findResource } from '../../resources';
import { extractFeatures, HASH_BUCKETS, STRUCTURAL_FEATURES, type FeatureInput, type RequestFeatures } from './features';

export const DIFFICULTY_WEIGHTS_RELATIVE_PATH = 'resources/router-difficulty.json';

/** The tiers the estimator scores; `paid` is the yardstick (the frontier model), so it is 1 by definition. */
export const SCORED_TIERS = ['local', 'free'] as const;
export type ScoredTier = (typeof SCORED_TIERS)[number];

/** One `[bucket, weight]` pair: the bucket an integer from 0 to HASH_BUCKETS − 1, the weight a number. */
function isHashedPair(pair: unknown): boolean {
  if (!Array.isArray(pair) || pair.length !== 2) return false;
  const [bucket, weight] = pair as unknown[];
  return Number.isSafeInteger(bucket) && (bucket as number) >= 0 && (bucket as number) <= HASH_BUCKETS - 1 && typeof weight === 'number' && Number.isFinite(weight);
}

const TierWeights = z.object({
  /**
   * Sparse hashed-n-gram weights: [bucket, weight] (zeros left out). Checked in one loop: a zod tuple
   * per pair (8,000 of them) cost ~130 ms of every CLI start (issue #17).
   */
  hashed: z.custom<Array<[number, number]>>((value) => Array.isArray(value) && value.every(isHashedPair), {
    message: `Expected [bucket 0–${HASH_BUCKETS - 1}, weight] pairs`,
  }),
  structural: z.array(z.number()).length(STRUCTURAL_FEATURES.length),
});

/** resources/router-difficulty.json, written by `npm run train:router`. */
export const DifficultyWeights = z.object({
  version: z.literal(1),
  buckets: z.literal(HASH_BUCKETS),
  structuralFeatures: z.array(z.string()),
  tiers: z.object({ local: TierWeights, free: TierWeights }),
  /** The dial's default threshold (the held-out point keeping ≥ 95 % of the strong model's quality at the lowest cost). */
  defaultThreshold: z.number().min(0).max(1),
  training: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.unknown()),
});
export type DifficultyWeights = z.infer<typeof DifficultyWeights>;

/** Per tier, the estimated chance its model answers as well as the frontier model would. */
export interface TierQuality {
  local: number;
  free: number;
  paid: number;
}

export interface DifficultyEstimate {
  /** 0–1: the estimated chance a local model falls short (1 − quality.local). */
  difficulty: number;
  quality: TierQuality;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/**
 * Issue #11's difficulty estimator: a logistic regression per tier over hashed n-grams and
 * structural features (features.ts), weights trained offline (bench/router-data/train.ts).
 * Scoring a request costs a feature pass and a few hundred multiplications.
 */
export class DifficultyEstimator {
  private readonly dense: Record<ScoredTier, { hashed: Float64Array; structural: readonly number[] }>;

  constructor(readonly weights: DifficultyWeights) {
    const densify = (t: ScoredTier) => {
      const hashed = new Float64Array(HASH_BUCKETS);
      for (const [k, w] of weights.tiers[t].hashed) hashed[k] = w;
      return { hashed, structural: weights.tiers[t].structural };
    };
    this.dense = { local: densify('local'), free: densify('free') };
  }

  static fromFile(file = findResource(DIFFICULTY_WEIGHTS_RELATIVE_PATH)): DifficultyEstimator {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new SwitchboardError('internal', `The router's difficulty weights (${file}) could not be read: reinstall, or run npm run train:router.`, { cause: error });
    }
    const parsed = DifficultyWeights.safeParse(json);
    if (!parsed.success) throw new SwitchboardError('internal', `The router's difficulty weights (${file}) are not valid: run npm run train:router.`);
    return new DifficultyEstimator(parsed.data);
  }

  estimate(input: FeatureInput): DifficultyEstimate {
    return this.estimateFeatures(extractFeatures(input));
  }

  estimateFeatures(f: RequestFeatures): DifficultyEstimate {
    const score = (t: ScoredTier): number => {
      const w = this.dense[t];
      let z = 0;
      for (const [k, v] of f.hashed) z += (w.hashed[k] ?? 0) * v;
      for (let i = 0; i < f.structural.length; i += 1) z += (w.structural[i] ?? 0) * (f.structural[i] ?? 0);
      return sigmoid(z);
    };
    const local = score('local');
    // A bigger model of the same family does not do worse than a smaller one: keep the order.
    const free = Math.max(local, score('free'));
    return { difficulty: round(1 - local), quality: { local: round(local), free: round(free), paid: 1 } };
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

let bundled: DifficultyEstimator | null = null;
/** The estimator with the weights that ship with the app (resources/router-difficulty.json), loaded once. */
export function bundledEstimator(): DifficultyEstimator {
  bundled ??= DifficultyEstimator.fromFile();
  return bundled;
}
