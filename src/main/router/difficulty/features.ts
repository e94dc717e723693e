/**
 * The difficulty estimator's features (issue #11): hashed word and character n-grams of the request,
 * and a few structural signals (math notation, code, constraints, multi-step instructions, the
 * conversation so far). No model, no allocation per n-gram beyond a small map: well under a
 * millisecond on a page of text. The training script (bench/router-data) and the app both call
 * this function, so a change here needs `npm run router:prepare` and `npm run train:router`.
 */

/** Hashed n-gram buckets (2^12): small enough for a weights file of a few tens of KB. */
export const HASH_BUCKETS = 4096;
/** Only the first 1 500 characters of the request are read for n-grams and structure (our choice: a pasted file says little more; length counts the whole). */
const SCAN_CHARS = 1500;
/** Character 4-grams are taken from the first 500 characters only (the instruction usually opens the request). */
const CHAR_GRAM_CHARS = 500;

export const STRUCTURAL_FEATURES = [
  'bias',
  'log_chars',
  'log_words',
  'math_notation',
  'digits',
  'code',
  'constraints',
  'multi_step',
  'questions',
  'log_turns',
  'long_words',
  'creative',
] as const;
export type StructuralFeature = (typeof STRUCTURAL_FEATURES)[number];

export interface RequestFeatures {
  /** Hashed n-gram bucket → weight (L2-normalised, so long prompts do not swamp short ones). */
  hashed: Map<number, number>;
  /** One value per STRUCTURAL_FEATURES entry, roughly in [0, 1]. */
  structural: number[];
}

export interface FeatureInput {
  /** The request (the last user message). */
  text: string;
  /** User turns before this one (0 for a first message). */
  priorTurns?: number;
}

const WORD = /[\p{L}\p{N}_']+/gu;
const MATH = /\$[^$]+\$|\\(?:frac|sum|int|sqrt|cdot|times|le|ge|pi|alpha|beta|theta|boxed)\b|[∑∫√π≤≥≠∞]|\b\d+\s*[-+*/^=<>]\s*\d+|\b[a-z]\s*[=^]\s*\d|\b(?:equation|integral|derivative|prove|theorem|probability|matrix|polynomial|modulo|prime)\b/gi;
const CODE = /```|\b(?:function|def|class|return|import|const|let|var|public|static|void|SELECT|FROM|WHERE|printf|console\.log)\b|[{};]\s*$|=>|\(\)\s*[{:]/gm;
const CONSTRAINTS = /\b(?:must|exactly|at least|at most|no more than|no less than|only|without using|do not|don't|never|always|within \d+|in \d+ (?:words|sentences|lines)|format|json|table|bullet|limit|constraint|ensure|make sure)\b/gi;
const MULTI_STEP = /^\s*(?:\d{1,2}[.)]|[-*•])\s+|\b(?:step by step|first(?:ly)?|second(?:ly)?|then|finally|after that|next)\b/gim;
const CREATIVE = /\b(?:poem|story|haiku|song|lyrics|joke|slogan|tweet|essay|limerick|rap|rhyme)\b/gi;

/** FNV-1a, 32 bit: stable across platforms and releases (the shipped weights depend on it). */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i += 1) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function count(re: RegExp, text: string, cap: number): number {
  re.lastIndex = 0;
  let n = 0;
  while (n < cap && re.exec(text) !== null) n += 1;
  return n;
}

export function extractFeatures(input: FeatureInput): RequestFeatures {
  const text = input.text.length > SCAN_CHARS ? input.text.slice(0, SCAN_CHARS) : input.text;
  const lower = text.toLowerCase();
  const words = lower.match(WORD) ?? [];
  const hashed = normaliseCounts(hashedCounts(words));
  return { hashed, structural: structuralFeatures(input, text, lower, words) };
}

/** Hashed n-gram counts (what the derived training data stores; `normaliseCounts` makes the feature). */
export function hashedCounts(words: readonly string[]): Map<number, number> {
  const hashed = new Map<number, number>();
  const add = (key: string): void => {
    const b = hashString(key) % HASH_BUCKETS;
    hashed.set(b, (hashed.get(b) ?? 0) + 1);
  };
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i] as string;
    add(`w:${w}`);
    if (i > 0) add(`b:${words[i - 1] as string} ${w}`);
  }
  // Character 4-grams inside words catch inflections and code identifiers the word list misses.
  const squashed = ` ${words.join(' ')} `;
  for (let i = 0; i + 4 <= squashed.length && i < CHAR_GRAM_CHARS; i += 1) add(`c:${squashed.slice(i, i + 4)}`);
  return hashed;
}

/** L2-normalised, so a long prompt does not swamp a short one. */
export function normaliseCounts(counts: ReadonlyMap<number, number>): Map<number, number> {
  let norm = 0;
  for (const v of counts.values()) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  const out = new Map<number, number>();
  for (const [k, v] of counts) out.set(k, v / norm);
  return out;
}

export function wordsOf(text: string): string[] {
  return text.slice(0, SCAN_CHARS).toLowerCase().match(WORD) ?? [];
}

function structuralFeatures(input: FeatureInput, text: string, lower: string, words: readonly string[]): number[] {
  const chars = input.text.length;
  const longWords = words.filter((w) => w.length >= 9).length;
  return [
    1,
    Math.min(1, Math.log1p(chars) / Math.log1p(16000)),
    Math.min(1, Math.log1p(words.length) / Math.log1p(1000)),
    Math.min(1, count(MATH, text, 8) / 4),
    Math.min(1, (text.match(/\d/g)?.length ?? 0) / 40),
    Math.min(1, count(CODE, text, 8) / 4),
    Math.min(1, count(CONSTRAINTS, text, 8) / 4),
    Math.min(1, count(MULTI_STEP, text, 8) / 4),
    Math.min(1, count(/\?/g, text, 4) / 2),
    Math.min(1, Math.log1p(input.priorTurns ?? 0) / Math.log1p(20)),
    words.length === 0 ? 0 : Math.min(1, (longWords / words.length) * 4),
    Math.min(1, count(CREATIVE, lower, 2) / 1),
  ];
}
