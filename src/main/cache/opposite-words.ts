/**
 * Pairs of words that turn a question into its opposite while leaving its embedding almost where it
 * was: "how do I enable X" and "how do I disable X" share every other word, so cosine similarity
 * sits near 1. The guard (issue #6): when one prompt has a word of a pair and the other its
 * opposite, the cached answer is not served. Both prompts holding both words ("start and stop the
 * server") is the same question; a prompt that has neither says nothing either way.
 */
const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['enable', 'disable'], ['activate', 'deactivate'], ['add', 'remove'], ['install', 'uninstall'],
  ['show', 'hide'], ['visible', 'hidden'], ['allow', 'deny'], ['allow', 'block'], ['block', 'unblock'],
  ['accept', 'reject'], ['grant', 'revoke'], ['encrypt', 'decrypt'], ['encode', 'decode'],
  ['serialize', 'deserialize'], ['compress', 'decompress'], ['zip', 'unzip'], ['start', 'stop'],
  ['start', 'end'], ['begin', 'end'], ['open', 'close'], ['lock', 'unlock'], ['mount', 'unmount'],
  ['connect', 'disconnect'], ['attach', 'detach'], ['subscribe', 'unsubscribe'], ['login', 'logout'],
  ['increase', 'decrease'], ['increment', 'decrement'], ['raise', 'lower'], ['expand', 'collapse'],
  ['maximize', 'minimize'], ['before', 'after'], ['min', 'max'], ['minimum', 'maximum'], ['first', 'last'],
  ['earliest', 'latest'], ['oldest', 'newest'], ['older', 'newer'], ['old', 'new'], ['on', 'off'],
  ['upload', 'download'], ['import', 'export'], ['push', 'pull'], ['send', 'receive'], ['read', 'write'],
  ['input', 'output'], ['include', 'exclude'], ['inside', 'outside'], ['above', 'below'], ['upper', 'lower'],
  ['uppercase', 'lowercase'], ['top', 'bottom'], ['left', 'right'], ['up', 'down'], ['horizontal', 'vertical'],
  ['ascending', 'descending'], ['asc', 'desc'], ['forward', 'backward'], ['prefix', 'suffix'], ['head', 'tail'],
  ['sync', 'async'], ['synchronous', 'asynchronous'], ['public', 'private'], ['true', 'false'],
  ['valid', 'invalid'], ['success', 'failure'], ['pass', 'fail'], ['mutable', 'immutable'],
  ['positive', 'negative'], ['even', 'odd'], ['more', 'less'], ['most', 'least'], ['higher', 'lower'],
  ['high', 'low'], ['faster', 'slower'], ['fast', 'slow'], ['larger', 'smaller'], ['bigger', 'smaller'],
  ['best', 'worst'], ['better', 'worse'], ['light', 'dark'], ['merge', 'split'], ['create', 'delete'],
  ['insert', 'delete'], ['freeze', 'unfreeze'], ['client', 'server'], ['buy', 'sell'],
];

/**
 * Inflections that share a base word: enables, enabled, enabling; stops, stopped, stopping;
 * closes, closed, closing. Over-generation is harmless: a made-up form never occurs in a prompt.
 */
function formsOf(base: string): string[] {
  const forms = [base, `${base}s`, `${base}es`, `${base}ed`, `${base}d`, `${base}ing`];
  if (base.endsWith('e')) forms.push(`${base.slice(0, -1)}ing`);
  if (/[^aeiou][aeiou][bdgklmnprt]$/.test(base)) {
    const last = base.at(-1) ?? '';
    forms.push(`${base}${last}ed`, `${base}${last}ing`);
  }
  return forms;
}

const BASE_OF: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  const bases = [...new Set(PAIRS.flat())];
  // Bases first, so a base is never shadowed by another word's inflection ("close" / "closes").
  for (const base of bases) map.set(base, base);
  for (const base of bases) for (const form of formsOf(base)) if (!map.has(form)) map.set(form, base);
  return map;
})();

const WORD = /[\p{L}]+/gu;

/** The words of the pairs that occur in the prompt, as base words, sorted and without repeats. */
export function oppositeWordsIn(prompt: string): string[] {
  const found = new Set<string>();
  for (const word of prompt.toLowerCase().match(WORD) ?? []) {
    const base = BASE_OF.get(word);
    if (base) found.add(base);
  }
  return [...found].sort();
}

/**
 * The first pair on which the prompts take opposite sides, as "enable/disable", or undefined.
 * Both arguments are the output of oppositeWordsIn.
 */
export function oppositeMismatch(a: readonly string[], b: readonly string[]): string | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  const inA = new Set(a);
  const inB = new Set(b);
  for (const [x, y] of PAIRS) {
    const sideA = `${inA.has(x) ? x : ''}/${inA.has(y) ? y : ''}`;
    const sideB = `${inB.has(x) ? x : ''}/${inB.has(y) ? y : ''}`;
    if (sideA !== '/' && sideB !== '/' && sideA !== sideB) return `${x}/${y}`;
  }
  return undefined;
}
