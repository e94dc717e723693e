import { describe, expect, it } from 'vitest';
import { extractFeatures, hashString, HASH_BUCKETS, STRUCTURAL_FEATURES } from './features';

const at = (name: (typeof STRUCTURAL_FEATURES)[number]) => STRUCTURAL_FEATURES.indexOf(name);

describe('difficulty features (issue #11)', () => {
  it('hashes with FNV-1a, stable across runs (the shipped weights depend on it)', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    expect(hashString('foobar')).toBe(0xbf9cf968);
  });

  it('gives an L2-normalised bag of hashed word, bigram and character n-grams', () => {
    const f = extractFeatures({ text: 'Sort a list of numbers in Python' });
    let norm = 0;
    for (const [k, v] of f.hashed) {
      expect(k).toBeGreaterThanOrEqual(0);
      expect(k).toBeLessThan(HASH_BUCKETS);
      norm += v * v;
    }
    expect(norm).toBeCloseTo(1, 9);
    // 7 words, 6 bigrams and the 4-grams of " sort a list … python ": well over 13 buckets.
    expect(f.hashed.size).toBeGreaterThan(13);
    expect(f.structural).toHaveLength(STRUCTURAL_FEATURES.length);
    expect(f.structural[at('bias')]).toBe(1);
  });

  it('reads math notation, code, constraints, multi-step instructions and the conversation so far', () => {
    const plain = extractFeatures({ text: 'tell me about cats' }).structural;
    expect(plain[at('math_notation')]).toBe(0);
    expect(plain[at('code')]).toBe(0);
    expect(plain[at('constraints')]).toBe(0);
    expect(plain[at('multi_step')]).toBe(0);
    expect(plain[at('log_turns')]).toBe(0);
    expect(extractFeatures({ text: 'Prove that $\\sum_{k=1}^n k = n(n+1)/2$ and evaluate \\int_0^1 x^2 dx' }).structural[at('math_notation')]).toBeGreaterThan(0.5);
    expect(extractFeatures({ text: '```ts\nconst x = () => { return 1; };\n```\nwhy?' }).structural[at('code')]).toBeGreaterThan(0.5);
    expect(extractFeatures({ text: 'Answer in exactly 3 bullet points, at most 50 words, and do not use jargon.' }).structural[at('constraints')]).toBeGreaterThan(0.5);
    expect(extractFeatures({ text: '1. Parse the file\n2. Then validate it\n3. Finally write the report' }).structural[at('multi_step')]).toBeGreaterThan(0.5);
    expect(extractFeatures({ text: 'and now?', priorTurns: 6 }).structural[at('log_turns')]).toBeGreaterThan(0.5);
  });

  it('reads at most a bounded prefix, so a 400 KB paste costs no more than a page', () => {
    const page = extractFeatures({ text: 'word '.repeat(300) });
    const paste = extractFeatures({ text: 'word '.repeat(80_000) });
    expect([...paste.hashed.keys()].sort()).toEqual([...page.hashed.keys()].sort());
    expect(paste.structural[at('log_chars')]).toBeGreaterThan(page.structural[at('log_chars')] as number);
  });
});
