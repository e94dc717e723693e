/**
 * Builds the difficulty estimator's training data (issue #11) from local mirrors of two public
 * per-prompt quality sets (both Apache-2.0):
 *  - AlpacaEval (tatsu-lab/alpaca_eval): each model's judged preference against the same GPT-4 Turbo
 *    reference answer (annotator `weighted_alpaca_eval_gpt4_turbo`), 805 open-ended instructions;
 *  - RouterArena (RouteWorks/RouterArena): each model's graded correctness (0–1) on 809 questions
 *    from benchmarks (MMLU-Pro, PubMedQA, LiveCodeBench, AIME, WMT19 …).
 * Which models stand for which tier: tiers.ts.
 *
 * Only DERIVED data is written (bench/router-data/derived.jsonl): a hash of the prompt, its source,
 * hashed n-gram counts and structural features, and each tier's measured quality. No question or
 * answer text is kept. Not run in CI (it needs the mirrors); `npm run train:router` trains from the
 * committed file.
 *
 *   npx tsx bench/router-data/prepare.ts [mirror root, default /work/.mirror]
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractFeatures, hashedCounts, hashString, wordsOf } from '../../src/main/router/difficulty/features';
import { ALPACA_TIER_MODELS, encodeBuckets, ROUTERARENA_TIER_MODELS, routerArenaGroup, splitOf, type DerivedRow, type Tier3 } from './tiers';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = process.argv[2] ?? '/work/.mirror';
const ALPACA = path.join(root, 'tatsu-lab+alpaca_eval', 'repo');
const ARENA = path.join(root, 'RouteWorks+RouterArena', 'repo');
const ANNOTATOR = 'weighted_alpaca_eval_gpt4_turbo';

function gitShow(repo: string, rev: string, file: string): string {
  return execFileSync('git', ['-C', repo, 'show', `${rev}:${file}`], { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
}

interface Collected {
  source: string;
  text: string;
  scores: Partial<Record<Tier3, number[]>>;
}
const byPrompt = new Map<string, Collected>();
const collect = (key: string, source: string, text: string, tier: Tier3, score: number): void => {
  const row = byPrompt.get(key) ?? { source, text, scores: {} };
  (row.scores[tier] ??= []).push(score);
  byPrompt.set(key, row);
};

for (const [tier, models] of Object.entries(ALPACA_TIER_MODELS) as Array<[Tier3, readonly string[]]>) {
  for (const model of models) {
    const list = JSON.parse(gitShow(ALPACA, 'HEAD', `results/${model}/${ANNOTATOR}/annotations.json`)) as Array<{ dataset: string; instruction: string; preference: number | string | null }>;
    for (const a of list) {
      if (a.preference === null || a.preference === undefined) continue;
      // AlpacaEval's preference runs 1 (reference better) … 2 (model better): the judge's probability, shifted.
      collect(`a:${a.instruction}`, `alpaca:${a.dataset}`, a.instruction, tier, clamp(Number(a.preference) - 1));
    }
  }
}

for (const [tier, files] of Object.entries(ROUTERARENA_TIER_MODELS) as Array<[Tier3, ReadonlyArray<{ rev: string; file: string }>]>) {
  for (const { rev, file } of files) {
    for (const line of gitShow(ARENA, rev, `cached_results/${file}`).split('\n')) {
      if (line.trim() === '') continue;
      const d = JSON.parse(line) as { global_index: string; question: string; evaluation_result: unknown };
      // evaluation_result is an object or, in some rows, a Python dict literal: only its numeric `score` is read.
      const e = d.evaluation_result;
      const score = typeof e === 'object' && e !== null ? Number((e as { score?: unknown }).score) : Number(/['"]score['"]:\s*(-?[\d.]+(?:e-?\d+)?)/.exec(String(e))?.[1]);
      if (!Number.isFinite(score)) continue;
      collect(`r:${d.global_index}`, `routerarena:${routerArenaGroup(d.global_index)}`, d.question, tier, clamp(score));
    }
  }
}

const rows: DerivedRow[] = [];
for (const { source, text, scores } of byPrompt.values()) {
  const mean = (xs: number[] | undefined): number | null => (xs && xs.length > 0 ? round(xs.reduce((s, x) => s + x, 0) / xs.length) : null);
  const q = { local: mean(scores.local), free: mean(scores.free), paid: mean(scores.paid) };
  if (q.local === null || q.paid === null) continue;
  const f = extractFeatures({ text });
  const id = hashString(text).toString(16).padStart(8, '0');
  rows.push({
    id,
    source,
    split: splitOf(id),
    chars: text.length,
    h: encodeBuckets(hashedCounts(wordsOf(text))),
    s: f.structural.map(round),
    q: { local: q.local, free: q.free, paid: q.paid },
  });
}
rows.sort((a, b) => a.id.localeCompare(b.id));
writeFileSync(path.join(here, 'derived.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
console.log(`wrote ${rows.length} rows (${rows.filter((r) => r.split === 'test').length} held out)`);

function clamp(x: number): number {
  return Math.min(1, Math.max(0, x));
}
function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
