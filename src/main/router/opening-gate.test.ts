import { describe, expect, it } from 'vitest';
import { openingVerdict } from './opening-gate';
import { refusalGate } from './quality-gates';

/** The verdict after each character, as a stream of one-character tokens would see it. */
function verdicts(text: string) {
  return [...text].map((_, i) => openingVerdict(text.slice(0, i + 1)).kind);
}

const REFUSALS = [
  "I'm sorry, but I can't help with that.",
  'I cannot assist with that request.',
  "As an AI language model, I can't provide that.",
  'Sorry, I cannot help with that.',
  "I'm afraid I can't do that.",
  "  I won't write that.",
];

describe('openingVerdict (what /v1 auto streaming checks before the first byte)', () => {
  it.each(REFUSALS)('never lets a refusal through, and fails it once it is written: %s', (text) => {
    const seen = verdicts(text);
    expect(seen).not.toContain('commit');
    expect(seen.at(-1)).toBe('fail');
    // The same verdict as the gate that judges the whole reply.
    expect(refusalGate.check({ text } as never)).toMatchObject({ passed: false });
  });

  it.each([
    ['Paris is the capital.', 'Pa'],
    ['42', '4'],
    ['```js\nconsole.log(1)\n```', '```j'],
    ['I think the answer is 42.', 'I th'],
    ["I can't run code, but here is what it prints: 3", "I can't r"],
    ['Sure! Here it is.', 'Sur'],
    ['I’m happy to help: here it is.', 'I’m ha'],
  ])('commits an answer as soon as a word cannot belong to a refusal: %j at %j', (text, opening) => {
    const seen = verdicts(text);
    expect(seen.indexOf('commit') + 1).toBe(opening.length);
    expect(seen.slice(seen.indexOf('commit'))).not.toContain('fail');
  });

  it('holds an empty or blank opening', () => {
    expect(openingVerdict('').kind).toBe('hold');
    expect(openingVerdict(' \n\t').kind).toBe('hold');
  });
});
