import { oppositeMismatch, oppositeWordsIn } from './opposite-words';

/**
 * What an embedding does not see. Two prompts can be 0.95 similar and ask opposite things:
 * "how do I enable X" / "how do I not enable X", "retry 3 times" / "retry 5 times",
 * "rename fooBar" / "rename fooBaz". Before a semantic hit is served, these parts of the two
 * prompts must be identical, in order (order carries meaning: "convert 5 to 3" is not "3 to 5").
 * A false miss costs one model call; a false hit serves a wrong answer, so the rules lean strict.
 */
export interface PromptGuards {
  /** Fenced code blocks, whole. */
  code: string[];
  /** Text in double, single, typographic or angle quotes. */
  quoted: string[];
  /** `backticked`, camelCase, PascalCase, snake_case, dotted.paths, path/segments, --flags, calls(. */
  identifiers: string[];
  /** Digits (with their separators and sign) and number words, the small ones as digits. */
  numbers: string[];
  /** not / n't / cannot as "not"; never, no, none, without, except, unless ... as themselves. */
  negations: string[];
  /** Words of opposite pairs (enable/disable, start/stop …), as base words: see opposite-words.ts. */
  opposites: string[];
}

export type GuardName = keyof PromptGuards;
// Stored guards are a JSON array in this order: a new guard goes at the end (older rows read it as []).
const GUARD_ORDER: readonly GuardName[] = ['code', 'quoted', 'identifiers', 'numbers', 'negations', 'opposites'];

const FENCED = /```[^\n]*\n([\s\S]*?)```/g;
const QUOTED: readonly RegExp[] = [
  /"([^"\n]+)"/g,
  /\u201c([^\u201d\n]+)\u201d/g, // “ ”
  /\u2018([^\u2019\n]+)\u2019/g, // ‘ ’
  /\u00ab([^\u00bb\n]+)\u00bb/g, // « »
  // A single quote opens only after a non-letter, so the apostrophes of "don't ... isn't" do not pair up.
  /(?<![\p{L}\p{N}])'([^'\n]+?)'(?![\p{L}\p{N}])/gu,
];
const BACKTICKED = /`([^`\n]+)`/g;
const IDENTIFIER_SHAPES: readonly RegExp[] = [
  /\b[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+\b/g, // camelCase
  /\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b/g, // PascalCase with two humps or more
  /\b_*[A-Za-z][A-Za-z0-9]*(?:_+[A-Za-z0-9]+)+_*\b/g, // snake_case, SCREAMING_CASE, __dunder__
  /\b[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+/g, // dotted.paths, file.ext, os.path.join
  /(?:\.{0,2}\/)?[\w.-]+(?:\/[\w.-]+)+\/?/g, // path/segments, ./rel/path, /abs/path
  /(?<![\w-])--?[A-Za-z][\w-]*/g, // --flags and -f
  /\b[A-Za-z_$][\w$]*(?=\()/g, // call(
];
// A digit run (with its sign after a space, and its separators) or a word that may be a number word.
const NUMBER_OR_WORD = /(?:(?<=^|\s)-)?\d+(?:[.,:]\d+)*|\p{L}+/gu;
const WORDS = /[\p{L}'\u2019]+/gu;

/**
 * Number words, the small ones as digits so "3" and "three" agree. "one" is left out: far more
 * often a pronoun ("which one") than a count, and "one time" vs "two times" still differ
 * (an empty list against ["2"]).
 */
const NUMBER_WORDS: ReadonlyMap<string, string> = new Map([
  ...['zero', '', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
    'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty']
    .map((w, i) => [w, String(i)] as [string, string])
    .filter(([w]) => w !== ''),
  ...['thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'].map((w, i) => [w, String((i + 3) * 10)] as [string, string]),
  ...['hundred', 'thousand', 'million', 'billion', 'trillion', 'dozen', 'half', 'twice', 'double', 'triple'].map(
    (w) => [w, w] as [string, string],
  ),
]);

/** Negations kept as themselves: each says something different from "not". */
const NEGATION_WORDS: ReadonlySet<string> = new Set([
  'no', 'never', 'none', 'nobody', 'nothing', 'nowhere', 'neither', 'nor', 'without', 'except', 'excluding', 'unless',
]);
/** Contractions typed without the apostrophe, read as "not"; "cant" and "wont" are left out (real words). */
const BARE_CONTRACTIONS: ReadonlySet<string> = new Set([
  'dont', 'doesnt', 'didnt', 'isnt', 'arent', 'wasnt', 'werent', 'shouldnt', 'wouldnt', 'couldnt', 'hasnt',
  'havent', 'hadnt', 'mustnt', 'neednt', 'aint',
]);

interface Found {
  index: number;
  text: string;
}

/** Every match of every pattern, in text order, dropping matches that sit inside an earlier one. */
function matchesInOrder(text: string, patterns: readonly RegExp[], group = 0): string[] {
  const found: Found[] = [];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const value = m[group];
      if (value !== undefined && value.trim() !== '') found.push({ index: m.index, text: value });
    }
  }
  found.sort((a, b) => a.index - b.index || b.text.length - a.text.length);
  const out: string[] = [];
  let end = -1;
  for (const f of found) {
    if (f.index < end) continue;
    out.push(f.text);
    end = f.index + f.text.length;
  }
  return out;
}

/** "don't", "do not", "cannot" and "can't" are all "not"; other negations are kept as they are. */
function negationOf(word: string): string | undefined {
  const w = word.toLowerCase().replace(/\u2019/g, "'");
  if (w === 'not' || w === 'cannot' || w.endsWith("n't") || BARE_CONTRACTIONS.has(w)) return 'not';
  return NEGATION_WORDS.has(w) ? w : undefined;
}

function numbersOf(text: string): string[] {
  const out: string[] = [];
  for (const token of text.match(NUMBER_OR_WORD) ?? []) {
    if (/\d/.test(token)) out.push(token);
    else {
      const n = NUMBER_WORDS.get(token.toLowerCase());
      if (n !== undefined) out.push(n);
    }
  }
  return out;
}

export function extractGuards(prompt: string): PromptGuards {
  const code = [...prompt.matchAll(FENCED)].map((m) => (m[1] ?? '').replace(/\s+$/u, ''));
  const prose = prompt.replace(FENCED, ' ');
  const quoted = matchesInOrder(prose, QUOTED, 1);
  const backticked = [...prose.matchAll(BACKTICKED)].map((m) => (m[1] ?? '').trim());
  const identifiers = [...backticked, ...matchesInOrder(prose.replace(BACKTICKED, ' '), IDENTIFIER_SHAPES)];
  const negations = (prose.match(WORDS) ?? []).map(negationOf).filter((n): n is string => n !== undefined);
  return { code, quoted, identifiers, numbers: numbersOf(prose), negations, opposites: oppositeWordsIn(prose) };
}

/** The first guard on which the two prompts differ, or undefined when all of them agree. */
export function guardMismatch(a: PromptGuards, b: PromptGuards): GuardName | undefined {
  for (const name of GUARD_ORDER) {
    if (name === 'opposites') {
      // Not "equal lists": a paraphrase may drop the word ("turn on" for "enable"); only opposite sides count.
      if (oppositeMismatch(a.opposites, b.opposites)) return name;
      continue;
    }
    const x = a[name];
    const y = b[name];
    if (x.length !== y.length || x.some((v, i) => v !== y[i])) return name;
  }
  return undefined;
}

/** Stored beside the cached prompt so a lookup compares without re-parsing it. */
export function serializeGuards(guards: PromptGuards): string {
  return JSON.stringify(GUARD_ORDER.map((name) => guards[name]));
}

export function parseGuards(text: string): PromptGuards {
  const lists = JSON.parse(text) as string[][];
  const out = {} as PromptGuards;
  GUARD_ORDER.forEach((name, i) => {
    out[name] = lists[i] ?? [];
  });
  return out;
}

export const GUARD_LABELS: Record<GuardName, string> = {
  code: 'code blocks',
  quoted: 'quoted strings',
  identifiers: 'code identifiers',
  numbers: 'numbers',
  negations: 'negations',
  opposites: 'opposite words (enable/disable, start/stop …)',
};
