import { describe, expect, it } from 'vitest';
import { canonicalJson, exactKey, normalizeText, semanticParts } from './cache-key';
import { ask } from './cache-test-helpers';

describe('normalizeText', () => {
  it('unifies line endings and drops trailing whitespace and blank edges', () => {
    expect(normalizeText('\r\n  a = 1   \r\nb\t\r\n\r\n')).toBe('  a = 1\nb');
    expect(normalizeText('x\ry')).toBe('x\ny');
  });

  it('keeps indentation and runs of spaces inside a line (code whitespace matters)', () => {
    expect(normalizeText('if x:\n    return  1')).toBe('if x:\n    return  1');
    expect(normalizeText('if x:\n  return 1')).not.toBe(normalizeText('if x:\n    return 1'));
  });

  it('composes Unicode (NFC)', () => {
    expect(normalizeText('cafe\u0301')).toBe('caf\u00e9');
  });
});

describe('exactKey', () => {
  const base = ask('Explain `Array.prototype.flat`');
  const key = (r = base) => exactKey(r).toString('hex');

  it('is the same for texts that differ only in line endings and trailing spaces', () => {
    expect(key(ask('Explain `Array.prototype.flat`  \r\n'))).toBe(key());
  });

  it('changes with every input that changes the output', () => {
    const variants = [
      ask('Explain `Array.prototype.flatMap`'),
      ask('Explain `Array.prototype.flat`', { system: 'Be terse.' }),
      ask('Explain `Array.prototype.flat`', { modelKey: 'ollama/qwen2.5:7b' }),
      ask('Explain `Array.prototype.flat`', { params: { temperature: 0 } }),
      ask('Explain `Array.prototype.flat`', { params: { temperature: 0.2, maxTokens: 100 } }),
      ask('Explain `Array.prototype.flat`', { params: { temperature: 0.2, topP: 0.9 } }),
      ask('Explain `Array.prototype.flat`', { params: { temperature: 0.2, stop: ['\n\n'] } }),
      ask('Explain `Array.prototype.flat`', { params: { temperature: 0.2, seed: 7 } }),
      ask('Explain `Array.prototype.flat`', { params: { temperature: 0.2, jsonSchema: { type: 'object' } } }),
      { ...base, messages: [{ role: 'assistant' as const, content: 'Hi' }, ...base.messages] },
    ];
    const keys = new Set(variants.map((v) => key(v)));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(key())).toBe(false);
  });

  it('ignores what does not change the output: intent, bypass, stop order, schema key order', () => {
    expect(key(ask('Explain `Array.prototype.flat`', { intent: 'code', bypass: false }))).toBe(key());
    const a = ask('q', { params: { temperature: 0, stop: ['a', 'b'], jsonSchema: { type: 'object', required: ['x'] } } });
    const b = ask('q', { params: { temperature: 0, stop: ['b', 'a'], jsonSchema: { required: ['x'], type: 'object' } } });
    expect(key(a)).toBe(key(b));
  });

  it('writes canonical JSON with sorted keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: undefined } })).toBe('{"a":{"d":[{"x":2,"y":1}]},"b":1}');
  });
});

describe('semanticParts', () => {
  it('takes the last user message as the prompt and everything else into the scope', () => {
    const parts = semanticParts(ask('  What is a monad? \n'), 'nomic-embed-text');
    expect(parts?.prompt).toBe('What is a monad?');
    const scopeOf = (r = ask('x')) => semanticParts(r, 'nomic-embed-text')?.scope;
    expect(scopeOf(ask('another question entirely'))).toBe(scopeOf());
    expect(scopeOf(ask('x', { intent: 'code' }))).not.toBe(scopeOf());
    expect(scopeOf(ask('x', { system: 'You are a pirate.' }))).not.toBe(scopeOf());
    expect(scopeOf(ask('x', { modelKey: 'tier:smart' }))).not.toBe(scopeOf());
    expect(semanticParts(ask('x'), 'mxbai-embed-large')?.scope).not.toBe(scopeOf());
    const followUp = { ...ask('x'), messages: [{ role: 'user' as const, content: 'a' }, { role: 'assistant' as const, content: 'b' }, { role: 'user' as const, content: 'x' }] };
    expect(scopeOf(followUp)).not.toBe(scopeOf());
  });

  it('has nothing to match when the conversation does not end with a user prompt', () => {
    expect(semanticParts({ ...ask('q'), messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] }, 'm')).toBeUndefined();
  });
});
