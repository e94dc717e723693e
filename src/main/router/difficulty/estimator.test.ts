import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DifficultyEstimator, DifficultyWeights } from './estimator';
import { HASH_BUCKETS, STRUCTURAL_FEATURES } from './features';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-difficulty-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function weights(hashed: unknown): Record<string, unknown> {
  const tier = { hashed, structural: STRUCTURAL_FEATURES.map(() => 0) };
  return { version: 1, buckets: HASH_BUCKETS, structuralFeatures: [...STRUCTURAL_FEATURES], tiers: { local: tier, free: tier }, defaultThreshold: 0.5, training: {}, metrics: {} };
}

function write(name: string, json: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(json));
  return file;
}

describe('difficulty weights file (issue #11; fast check, issue #17)', () => {
  it('loads the shipped weights', () => {
    const estimator = DifficultyEstimator.fromFile();
    expect(estimator.weights.tiers.local.hashed.length).toBeGreaterThan(0);
    const estimate = estimator.estimate({ text: 'hello' });
    expect(estimate.quality.paid).toBe(1);
    expect(estimate.difficulty).toBeGreaterThanOrEqual(0);
    expect(estimate.difficulty).toBeLessThanOrEqual(1);
  });

  it('accepts [bucket, weight] pairs at both ends of the bucket range and uses them', () => {
    const estimator = DifficultyEstimator.fromFile(write('ok.json', weights([[0, 0.5], [HASH_BUCKETS - 1, -2]])));
    expect(estimator.weights.tiers.free.hashed).toEqual([[0, 0.5], [HASH_BUCKETS - 1, -2]]);
  });

  it.each([
    ['a bucket past the last', [[HASH_BUCKETS, 1]]],
    ['a negative bucket', [[-1, 1]]],
    ['a fractional bucket', [[1.5, 1]]],
    ['a weight that is not a number', [[1, '1']]],
    ['a pair of three', [[1, 1, 1]]],
    ['a pair that is not an array', [{ 0: 1, 1: 1 }]],
    ['hashed that is not an array', { 1: 1 }],
  ])('rejects %s with a clear error', (_name, hashed) => {
    expect(DifficultyWeights.safeParse(weights(hashed)).success).toBe(false);
    expect(() => DifficultyEstimator.fromFile(write('bad.json', weights(hashed)))).toThrow(/are not valid: run npm run train:router/);
  });
});
