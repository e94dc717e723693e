/**
 * RouteLLM's routing metrics (Ong et al., "RouteLLM: Learning to Route LLMs with Preference Data",
 * 2024, §4): with r(·) the mean quality of a set of answers,
 *  - PGR (performance gap recovered) = (r(router) − r(weak)) / (r(strong) − r(weak));
 *  - APGR = the area under PGR against the share of calls sent to the strong model, over [0, 1]
 *    (RouteLLM samples the threshold; we integrate the exact step curve with the trapezoid rule);
 *  - CPT(x %) = the smallest share of strong calls at which PGR reaches x %.
 * A router here is a score per prompt, higher = more in need of the strong model.
 */
export interface Outcome {
  /** Quality of the weak model's answer (0–1). */
  weak: number;
  strong: number;
}

export interface CurvePoint {
  strongShare: number;
  quality: number;
  pgr: number;
}

/** Every operating point of a router, from no strong call to all strong calls. */
export function pgrCurve(scores: readonly number[], outcomes: readonly Outcome[]): CurvePoint[] {
  const n = outcomes.length;
  const weak = mean(outcomes.map((o) => o.weak));
  const strong = mean(outcomes.map((o) => o.strong));
  const gap = strong - weak;
  // Highest score first; ties are broken by index so the curve is deterministic.
  const order = scores.map((s, i) => ({ s, i })).sort((a, b) => b.s - a.s || a.i - b.i);
  const points: CurvePoint[] = [];
  let total = weak * n;
  const push = (k: number): void => {
    const quality = total / n;
    points.push({ strongShare: k / n, quality, pgr: gap === 0 ? 0 : (quality - weak) / gap });
  };
  push(0);
  for (let k = 0; k < n; k += 1) {
    const o = outcomes[(order[k] as { i: number }).i] as Outcome;
    total += o.strong - o.weak;
    push(k + 1);
  }
  return points;
}

export function apgr(curve: readonly CurvePoint[]): number {
  let area = 0;
  for (let i = 1; i < curve.length; i += 1) {
    const a = curve[i - 1] as CurvePoint;
    const b = curve[i] as CurvePoint;
    area += ((a.pgr + b.pgr) / 2) * (b.strongShare - a.strongShare);
  }
  return area;
}

/** Smallest strong share reaching `target` PGR (1 when never reached). */
export function cpt(curve: readonly CurvePoint[], target: number): number {
  for (const p of curve) if (p.pgr >= target - 1e-12) return p.strongShare;
  return 1;
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** A seeded PRNG (mulberry32) for the random baseline: the same numbers on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
