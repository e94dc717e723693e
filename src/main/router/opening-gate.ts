import type { GateResult } from '../../shared/contract';
import { REFUSAL_OPENING } from './quality-gates';

/**
 * What the gates can tell from the opening of a reply, before any of it reaches a client that
 * streams `switchboard/auto` (issue #17): `commit` (send it: it is not empty and cannot become a
 * refusal any more), `hold` (not sure yet: wait for more text), or the failed gate.
 *
 * A refusal opens the reply (refusalGate) and is made of a few words only ("I'm sorry, but as an AI
 * language model, I cannot help"), so a reply commits at its first word that no refusal uses: most
 * replies are forwarded with their first token, and "I think…" at its second word.
 */
export type OpeningVerdict = { kind: 'commit' } | { kind: 'hold' } | { kind: 'fail'; result: GateResult };

/** Every word REFUSAL_OPENING can match before its verb (quality-gates.ts). */
const REFUSAL_WORDS = new Set([
  'i', "i'm", 'im', 'sorry', 'afraid', 'but', 'as', 'an', 'ai', 'language', 'model', 'am', 'can', 'cannot', "can't", 'cant', 'not', 'able', 'unable',
  "'m", 'won', "won't", 'wont', 'will', 'must', 'decline', 't', 'no',
]);
/** The verbs that end a refusal: once one is written and the pattern has not matched, it never will. */
const REFUSAL_VERBS = new Set(['help', 'assist', 'do', 'comply', 'provide', 'fulfil', 'fulfill', 'complete', 'write', 'answer', 'support']);

export function openingVerdict(prefix: string): OpeningVerdict {
  if (prefix.trim().length === 0) return { kind: 'hold' };
  const opening = prefix.slice(0, 300).replace(/’/g, "'");
  if (REFUSAL_OPENING.test(opening)) return { kind: 'fail', result: { gate: 'refusal', passed: false, reason: 'the model refused the request' } };
  const words = opening.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  // The last word may still be growing ("Ca" → "Can"), unless something came after it.
  const lastComplete = /[\p{L}\p{N}']$/u.test(opening) ? words.length - 1 : words.length;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i]!;
    if (i >= lastComplete) {
      const couldGrow = [...REFUSAL_WORDS, ...REFUSAL_VERBS].some((w) => w.startsWith(word));
      return couldGrow ? { kind: 'hold' } : { kind: 'commit' };
    }
    if (REFUSAL_VERBS.has(word) || !REFUSAL_WORDS.has(word)) return { kind: 'commit' };
  }
  // Only punctuation, or refusal-like words so far ("I'm sorry, but"): wait for the next word.
  return opening.length >= 300 ? { kind: 'commit' } : { kind: 'hold' };
}
