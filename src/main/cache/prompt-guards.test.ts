import { describe, expect, it } from 'vitest';
import { extractGuards, guardMismatch, parseGuards, serializeGuards } from './prompt-guards';

const differ = (a: string, b: string) => guardMismatch(extractGuards(a), extractGuards(b));

describe('extractGuards', () => {
  it('finds numbers in order, digits and words alike', () => {
    expect(extractGuards('retry 3 times, wait 1.5 s, then -2; version 2.10.1 costs 1,000').numbers).toEqual([
      '3', '1.5', '-2', '2.10.1', '1,000',
    ]);
    expect(extractGuards('gpt-4 or v2').numbers).toEqual(['4', '2']);
    expect(extractGuards('three retries and twenty seconds').numbers).toEqual(['3', '20']);
    expect(extractGuards('which one is better').numbers).toEqual([]);
  });

  it('reads every negation, with "not", "n\'t" and "cannot" as one', () => {
    expect(extractGuards("I don't want it, never, not without tests; it isn’t done unless I cannot").negations).toEqual([
      'not', 'never', 'not', 'without', 'not', 'unless', 'not',
    ]);
    expect(extractGuards('no nulls, nothing else, except arrays; dont and isnt').negations).toEqual([
      'no', 'nothing', 'except', 'not', 'not',
    ]);
    expect(extractGuards('how do I enable it').negations).toEqual([]);
  });

  it('finds code identifiers of every shape', () => {
    const g = extractGuards(
      'Why does `useMemo` re-run when fetchUser calls HttpClient with MAX_RETRIES from src/lib/api.ts, os.path.join or --dry-run and parse(?',
    );
    expect(g.identifiers).toEqual([
      'useMemo', 'fetchUser', 'HttpClient', 'MAX_RETRIES', 'src/lib/api.ts', 'os.path.join', '--dry-run', 'parse',
    ]);
    expect(extractGuards('how do I write a loop in python').identifiers).toEqual([]);
  });

  it('finds quoted strings without pairing the apostrophes of contractions', () => {
    expect(extractGuards(`Replace "foo bar" with 'baz' and “qux”; don't touch it, it isn't mine`).quoted).toEqual([
      'foo bar', 'baz', 'qux',
    ]);
  });

  it('keeps fenced code blocks whole, apart from the prose', () => {
    const g = extractGuards('Why does this fail?\n```py\nx = [1, 2]\nprint(x[2])\n```\nthanks');
    expect(g.code).toEqual(['x = [1, 2]\nprint(x[2])']);
    expect(g.numbers).toEqual([]);
  });

  it('round-trips through its stored form', () => {
    const g = extractGuards('Set `retries` to 3, not "5"\n```\ncode\n```');
    expect(parseGuards(serializeGuards(g))).toEqual(g);
  });
});

describe('guardMismatch', () => {
  it('passes paraphrases that keep every guarded part', () => {
    expect(differ('How do I set `maxRetries` to 3 in the client?', 'how can I set `maxRetries` to three for the client')).toBeUndefined();
    expect(differ("Why doesn't my build work", 'why does my build not work')).toBeUndefined();
  });

  it('names the part that differs', () => {
    expect(differ('how do I enable X', 'how do I not enable X')).toBe('negations');
    expect(differ('retry 3 times', 'retry 5 times')).toBe('numbers');
    expect(differ('convert 5 km to 3 miles', 'convert 3 km to 5 miles')).toBe('numbers');
    expect(differ('rename fooBar', 'rename fooBaz')).toBe('identifiers');
    expect(differ('grep for "error"', 'grep for "warning"')).toBe('quoted');
    expect(differ('fix\n```\na()\n```', 'fix\n```\nb()\n```')).toBe('code');
  });
});
