import { HASH_BUCKETS, STRUCTURAL_FEATURES, type RequestFeatures } from './features';

/**
 * Logistic regression with L2, full-batch gradient descent (Adam), zero start: deterministic for a
 * given data order, so `npm run train:router` reproduces the shipped weights exactly.
 */
export interface TrainExample {
  features: RequestFeatures;
  /** 1 when the tier's answer was as good as the frontier model's, 0 when it fell short. */
  label: number;
}

export interface TrainOptions {
  l2: number;
  epochs: number;
  learningRate: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { l2: 1e-3, epochs: 200, learningRate: 0.05 };

export interface LinearModel {
  hashed: Float64Array;
  structural: Float64Array;
}

export function trainLogistic(examples: readonly TrainExample[], options: TrainOptions = DEFAULT_TRAIN_OPTIONS): LinearModel {
  const nh = HASH_BUCKETS;
  const ns = STRUCTURAL_FEATURES.length;
  const dim = nh + ns;
  const w = new Float64Array(dim);
  const m = new Float64Array(dim);
  const v = new Float64Array(dim);
  const g = new Float64Array(dim);
  const rows = examples.map((e) => ({ idx: Int32Array.from(e.features.hashed.keys()), val: Float64Array.from(e.features.hashed.values()), s: Float64Array.from(e.features.structural), y: e.label }));
  const n = rows.length;
  const b1 = 0.9;
  const b2 = 0.999;
  for (let epoch = 1; epoch <= options.epochs; epoch += 1) {
    g.fill(0);
    for (const r of rows) {
      let z = 0;
      for (let j = 0; j < r.idx.length; j += 1) z += (w[r.idx[j] as number] as number) * (r.val[j] as number);
      for (let j = 0; j < ns; j += 1) z += (w[nh + j] as number) * (r.s[j] ?? 0);
      const err = 1 / (1 + Math.exp(-z)) - r.y;
      for (let j = 0; j < r.idx.length; j += 1) g[r.idx[j] as number] = (g[r.idx[j] as number] as number) + err * (r.val[j] as number);
      for (let j = 0; j < ns; j += 1) g[nh + j] = (g[nh + j] as number) + err * (r.s[j] ?? 0);
    }
    for (let j = 0; j < dim; j += 1) {
      // The bias (first structural feature) is not shrunk.
      const grad = (g[j] as number) / n + (j === nh ? 0 : options.l2 * (w[j] as number));
      m[j] = b1 * (m[j] as number) + (1 - b1) * grad;
      v[j] = b2 * (v[j] as number) + (1 - b2) * grad * grad;
      const mh = (m[j] as number) / (1 - b1 ** epoch);
      const vh = (v[j] as number) / (1 - b2 ** epoch);
      w[j] = (w[j] as number) - (options.learningRate * mh) / (Math.sqrt(vh) + 1e-8);
    }
  }
  return { hashed: w.slice(0, nh), structural: w.slice(nh) };
}

export function predictLogistic(model: LinearModel, f: RequestFeatures): number {
  let z = 0;
  for (const [k, val] of f.hashed) z += (model.hashed[k] ?? 0) * val;
  for (let j = 0; j < f.structural.length; j += 1) z += (model.structural[j] ?? 0) * (f.structural[j] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

/** Area under the ROC curve (ties counted half). */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const pairs = scores.map((s, i) => ({ s, y: labels[i] ?? 0 })).sort((a, b) => a.s - b.s);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < pairs.length; ) {
    let j = i;
    while (j < pairs.length && pairs[j]?.s === pairs[i]?.s) j += 1;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k += 1) if ((pairs[k]?.y ?? 0) > 0.5) rankSum += rank;
    i = j;
  }
  for (const p of pairs) if (p.y > 0.5) pos += 1;
  const neg = pairs.length - pos;
  if (pos === 0 || neg === 0) return 0.5;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
