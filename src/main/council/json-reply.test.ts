import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SwitchboardError } from '../../shared/errors';
import { askJson, extractJson } from './json-reply';
import { ScriptedRunner } from './scripted-runner';

describe('extractJson', () => {
  it('reads bare JSON, fenced JSON and JSON inside prose', () => {
    expect(extractJson('{"a":1}')).toEqual({ a: 1 });
    expect(extractJson('Here:\n```json\n{"a":2}\n```')).toEqual({ a: 2 });
    expect(extractJson('Sure! {"a":3} Hope that helps.')).toEqual({ a: 3 });
    expect(() => extractJson('no json here')).toThrow();
  });
});

describe('askJson', () => {
  const schema = z.object({ n: z.number() });

  it('sends an invalid reply back once with its errors, then accepts the fix', async () => {
    const runner = ScriptedRunner.byModel({ m: (_req, i) => (i === 0 ? '{"n":"seven"}' : '{"n":7}') });
    const reply = await askJson({ runner, model: 'm', messages: [{ role: 'user', content: 'n?' }], schema, signal: new AbortController().signal, purpose: 't' });
    expect(reply).toMatchObject({ ok: true, value: { n: 7 }, attempts: 2 });
    const retry = runner.calls[1]!.request.messages;
    expect(retry.at(-2)).toEqual({ role: 'assistant', content: '{"n":"seven"}' });
    expect(retry.at(-1)?.content).toMatch(/could not be used:\n- n: /);
    expect(runner.calls[0]!.request.options?.jsonSchema).toMatchObject({ type: 'object', properties: { n: { type: 'number' } } });
  });

  it('gives up after the retry, and reports stream errors without retrying', async () => {
    const runner = ScriptedRunner.byModel({ m: 'nope', broken: { error: new SwitchboardError('unavailable', 'down') } });
    const signal = new AbortController().signal;
    const invalid = await askJson({ runner, model: 'm', messages: [], schema, signal, purpose: 't', check: () => ['never'] });
    expect(invalid).toMatchObject({ ok: false, reason: 'invalid', attempts: 2 });
    const failed = await askJson({ runner, model: 'broken', messages: [], schema, signal, purpose: 't' });
    expect(failed).toMatchObject({ ok: false, reason: 'error', attempts: 1 });
    expect(runner.callsFor('broken')).toHaveLength(1);
  });
});
