import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { extractJson, toJsonSchema, zodIssues } from './extract-json';

describe('extractJson', () => {
  it('reads bare JSON, fenced JSON and JSON inside prose', () => {
    expect(extractJson('{"a":1}')).toEqual({ a: 1 });
    expect(extractJson('Here:\n```json\n{"a":2}\n```')).toEqual({ a: 2 });
    expect(extractJson('Sure! {"a":3} Hope that helps.')).toEqual({ a: 3 });
    expect(() => extractJson('no json here')).toThrow();
  });

  it('reads a reply that is only a fence (the router and validator copies did this)', () => {
    expect(extractJson('```\n{"score":0.9}\n```')).toEqual({ score: 0.9 });
    expect(extractJson('  ```JSON\n{"a":[1,2]}```  ')).toEqual({ a: [1, 2] });
  });
});

describe('toJsonSchema', () => {
  it('gives the input shape without $schema (defaults make a field optional)', () => {
    const schema = toJsonSchema(z.object({ score: z.number(), issues: z.string().default('') }));
    expect(schema.$schema).toBeUndefined();
    expect(schema).toMatchObject({ type: 'object', properties: { score: { type: 'number' } }, required: ['score'] });
  });
});

describe('zodIssues', () => {
  it('names the path of each issue', () => {
    const parsed = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(zodIssues(parsed.error)).toEqual([expect.stringMatching(/^a\.b: /)]);
  });
});
