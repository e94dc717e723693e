import { hashString } from '../../src/main/router/difficulty/features';

export type Tier3 = 'local' | 'free' | 'paid';

/**
 * Which AlpacaEval models stand for which tier (issue #11). All are judged against the same GPT-4
 * Turbo reference answers and are of one generation (late 2023 / early 2024), so the gaps between
 * tiers are that generation's:
 *  - local: 7–14B open models that run on a consumer GPU (Mistral-7B, Gemma-7B, Qwen-14B, Vicuna-13B);
 *  - free: 70B-class open models, what Groq serves for free (Llama-2-70B fine-tunes, Mixtral 8x7B);
 *  - paid: the frontier models of the time (Claude 2, Claude 2.1).
 */
export const ALPACA_TIER_MODELS: Record<Tier3, readonly string[]> = {
  local: ['OpenHermes-2.5-Mistral-7B', 'gemma-7b-it', 'Qwen-14B-Chat', 'vicuna-13b-v1.5'],
  free: ['humpback-llama2-70b', 'openbuddy-llama2-70b-v10.1', 'Mixtral-8x7B-Instruct-v0.1_concise'],
  paid: ['claude-2', 'claude-2.1'],
};

/**
 * RouterArena has no open 7–14B model and no frontier model in its cached results, so its models
 * stand in by measured capability, not by name: Claude 3 Haiku (MMLU ≈ 75, on a par with today's
 * Qwen2.5-7B/14B) for local and Gemini 2.0 Flash (the strongest model present) for paid. No free
 * stand-in: GPT-4o mini's results (an older commit) cover other questions, so `free` is learnt from
 * AlpacaEval alone.
 */
export const ROUTERARENA_TIER_MODELS: Record<Tier3, ReadonlyArray<{ rev: string; file: string }>> = {
  local: [{ rev: 'HEAD', file: 'claude-3-haiku-20240307.jsonl' }],
  free: [],
  paid: [{ rev: 'HEAD', file: 'gemini-2.0-flash-001.jsonl' }],
};

/** RouterArena's benchmarks in five families, the unit of the by-source split. */
export function routerArenaGroup(globalIndex: string): string {
  const name = globalIndex.replace(/_\d+$/, '');
  if (/^(AIME|MATH|GSM8K|MathQA|AsDiv|FinQA)/.test(name)) return 'math';
  if (/^LiveCodeBench/.test(name)) return 'code';
  if (/^WMT19/.test(name)) return 'translation';
  if (/^NarrativeQA/.test(name)) return 'reading';
  return 'knowledge';
}

/** One row of bench/router-data/derived.jsonl: derived data only, no prompt text. */
export interface DerivedRow {
  /** FNV-1a of the prompt (hex). */
  id: string;
  /** Origin and subset: `alpaca:koala`, `routerarena:math` … */
  source: string;
  split: 'train' | 'test';
  chars: number;
  /** Hashed n-gram counts: each bucket as two base-64 digits, repeated as often as it occurs. */
  h: string;
  /** Structural features (STRUCTURAL_FEATURES order). */
  s: number[];
  /** Mean measured quality of each tier's models (0–1); `free` is null where no free stand-in was measured. */
  q: { local: number; free: number | null; paid: number };
}

/** Fixed split by prompt: one in five held out, decided by a seeded hash of the prompt id. */
export const SPLIT_SEED = 0x5b11;
export function splitOf(id: string): 'train' | 'test' {
  return hashString(id, SPLIT_SEED) % 5 === 0 ? 'test' : 'train';
}

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Bucket counts as a compact string (4096 buckets = two base-64 digits each). */
export function encodeBuckets(counts: ReadonlyMap<number, number>): string {
  let out = '';
  for (const [k, c] of [...counts].sort((a, b) => a[0] - b[0])) {
    const code = `${DIGITS[k >> 6] ?? ''}${DIGITS[k & 63] ?? ''}`;
    out += code.repeat(c);
  }
  return out;
}

export function decodeBuckets(h: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i + 1 < h.length; i += 2) {
    const k = DIGITS.indexOf(h[i] as string) * 64 + DIGITS.indexOf(h[i + 1] as string);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}
