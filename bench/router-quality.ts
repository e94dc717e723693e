// Issue #11: routing quality of the difficulty estimator on the held-out split of the committed
// derived data (bench/router-data), with RouteLLM's metrics (bench/router-data/metrics.ts), against
// a random router at the same share and a length-only router; then estimator speed and the
// simulated day's cost (router-day.ts). Run alone with `npx tsx bench/router-quality.ts`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DEFAULT_ROUTER_CONFIG } from '../src/main/router';
import { bundledEstimator } from '../src/main/router/difficulty';
import { percentile } from '../src/main/runner';
import type { BenchResult } from './provider-overhead';
import { apgr, cpt, mean, pgrCurve, seededRandom, type Outcome } from './router-data/metrics';
import { loadDerived, routeAt, type Row } from './router-data/training';
import { simulateDay } from './router-day';

const SEED = 0x11;
/** Issue #11's targets on held-out data. */
const TARGET_APGR = 0.75;
const TARGET_CPT50 = 0.25;

interface Scored {
  row: Row;
  local: number;
  free: number;
}

function routerRows(name: string, rows: readonly Scored[], score: (s: Scored) => number): Record<string, string | number> {
  const outcomes: Outcome[] = rows.map((s) => ({ weak: s.row.row.q.local, strong: s.row.row.q.paid }));
  const curve = pgrCurve(rows.map(score), outcomes);
  return { router: name, prompts: rows.length, APGR: r3(apgr(curve)), 'CPT(50%)': pct(cpt(curve, 0.5)), 'CPT(80%)': pct(cpt(curve, 0.8)) };
}

/** Share per tier and quality at one dial setting, with PGR against always-local and always-paid. */
function atDial(rows: readonly Scored[], threshold: number): Record<string, string | number> {
  const tiers = rows.map((s) => routeAt(s.local, s.free, threshold));
  const q = rows.map((s, i) => s.row.row.q[tiers[i] as 'local' | 'free' | 'paid'] ?? s.row.row.q.local);
  const weak = mean(rows.map((s) => s.row.row.q.local));
  const strong = mean(rows.map((s) => s.row.row.q.paid));
  const quality = mean(q);
  const share = (t: string) => tiers.filter((x) => x === t).length / rows.length;
  return {
    threshold,
    local: pct(share('local')),
    free: pct(share('free')),
    paid: pct(share('paid')),
    quality: r3(quality),
    'always-local': r3(weak),
    'always-paid': r3(strong),
    'kept of paid': pct(quality / strong),
    PGR: r3((quality - weak) / (strong - weak)),
  };
}

export async function benchRouterQuality(options: { day?: boolean } = {}): Promise<BenchResult> {
  const estimator = bundledEstimator();
  const test = loadDerived().filter((r) => r.row.split === 'test');
  const scored: Scored[] = test.map((row) => {
    const e = estimator.estimateFeatures(row.features);
    return { row, local: e.quality.local, free: e.quality.free };
  });
  const threshold = DEFAULT_ROUTER_CONFIG.difficulty?.threshold ?? estimator.weights.defaultThreshold;
  const rand = seededRandom(SEED);
  const random = scored.map(() => rand());
  const rows: Array<Record<string, string | number>> = [];
  const origins = ['all', ...new Set(test.map((r) => r.row.source.split(':')[0] ?? ''))];
  for (const origin of origins) {
    const set = scored.filter((s) => origin === 'all' || s.row.row.source.startsWith(`${origin}:`));
    const idx = new Map(scored.map((s, i) => [s, i]));
    rows.push({ set: origin, ...routerRows('difficulty estimator', set, (s) => 1 - s.local) });
    rows.push({ set: origin, ...routerRows('random (same share)', set, (s) => random[idx.get(s) ?? 0] ?? 0) });
    rows.push({ set: origin, ...routerRows('length only', set, (s) => s.row.row.chars) });
  }
  const dialRows = [0.5, 0.6, 0.7, threshold, 0.9].map((t) => ({ set: 'all', ...atDial(scored, t) }));

  // Speed: features + estimate on prompts of growing size (the decision path's added cost).
  const texts = Array.from({ length: 2000 }, (_, i) => `Explain step ${i} of the proof that ${'x^2 + '.repeat(i % 40)}1 > 0, then write a Python function for it.`);
  for (const t of texts.slice(0, 200)) estimator.estimate({ text: t });
  const times = texts.map((t) => {
    const s = performance.now();
    estimator.estimate({ text: t });
    return performance.now() - s;
  }).sort((a, b) => a - b);
  const day = options.day === false ? null : await simulateDay();
  // The same day on seed 002's length rules (the dial off), for comparison.
  const lengthDay = options.day === false ? null : await simulateDay(undefined, { routerConfig: lengthRulesConfig() });
  const all = rows[0] as Record<string, string | number>;
  return {
    name: 'Routing quality (issue #11): difficulty estimator on the held-out split',
    rows: [...rows, ...dialRows],
    summary: {
      'held-out prompts': test.length,
      APGR: all.APGR as number,
      'CPT(50%)': all['CPT(50%)'] as string,
      'CPT(80%)': all['CPT(80%)'] as string,
      'target APGR ≥': TARGET_APGR,
      'target CPT(50%) ≤': pct(TARGET_CPT50),
      'dial default': threshold,
      'estimate p50 ms': r3(percentile(times, 50) ?? 0),
      'estimate p99 ms': r3(percentile(times, 99) ?? 0),
      ...(day ? { 'day actual $': r3(day.actualUsd), 'day all-premium $': r3(day.allPremiumUsd), 'day saved': `${day.savedPct.toFixed(1)} %`, 'day tiers': day.tiers.map((t) => `${t.tier} ${pct(t.share)}`).join(', ') } : {}),
      ...(lengthDay ? { 'length rules: day actual $': r3(lengthDay.actualUsd), 'length rules: day saved': `${lengthDay.savedPct.toFixed(1)} %`, 'length rules: day tiers': lengthDay.tiers.map((t) => `${t.tier} ${pct(t.share)}`).join(', ') } : {}),
    },
  };
}

function lengthRulesConfig(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-dial-')), 'router.json');
  fs.writeFileSync(file, JSON.stringify({ difficulty: { enabled: false } }));
  return file;
}

function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchRouterQuality({ day: !process.argv.includes('--no-day') });
  console.log(result.name);
  console.table(result.rows);
  console.table([result.summary]);
}
