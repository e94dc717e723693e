import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SwitchboardError } from '../../shared/errors';
import type { StreamPart, Usage } from './chat-provider';
import { askJson, type SetTimer } from './ask-json';
import type { ModelRunner, RunRequest } from './model-runner';

const schema = z.object({ n: z.number() });
const ask = [{ role: 'user' as const, content: 'n?' }];

/** One scripted reply: text, or a stream error, or a reply that waits for the abort (`hang`). */
type Reply = string | { text?: string; usage?: Usage; error?: SwitchboardError; hang?: boolean };

/** A tiny fake runner (the runner imports no app code, its tests neither): replies by model, in call order. */
class FakeRunner implements ModelRunner {
  readonly calls: Array<{ request: RunRequest; aborted: boolean }> = [];
  constructor(private readonly replies: Record<string, Reply | ((request: RunRequest, index: number) => Reply)>) {}

  callsFor(model: string): RunRequest[] {
    return this.calls.filter((c) => c.request.model === model).map((c) => c.request);
  }

  async *stream(request: RunRequest): AsyncIterable<StreamPart> {
    const call = { request, aborted: false };
    this.calls.push(call);
    const script = this.replies[request.model];
    const raw = typeof script === 'function' ? script(request, this.calls.length - 1) : script;
    const reply = typeof raw === 'string' ? { text: raw } : (raw ?? { error: new SwitchboardError('model_not_found', request.model) });
    if (reply.hang) {
      await new Promise<void>((resolve) => (request.signal?.aborted ? resolve() : request.signal?.addEventListener('abort', () => resolve(), { once: true })));
      call.aborted = true;
      yield { type: 'error', error: new SwitchboardError('cancelled', 'The request was stopped.') };
      return;
    }
    if (reply.error) {
      yield { type: 'error', error: reply.error };
      return;
    }
    yield { type: 'text-delta', text: reply.text ?? '' };
    if (reply.usage) yield { type: 'usage', usage: reply.usage };
    yield { type: 'finish', reason: 'stop' };
  }
}

/** A deadline the test fires by hand: no real timer, no wall time (CONVENTIONS: a clock you control). */
function manualTimer(): { setTimer: SetTimer; fire: () => void; armedMs: number | null; cancelled: boolean } {
  const t = {
    armedMs: null as number | null,
    cancelled: false,
    fn: null as (() => void) | null,
    setTimer: ((fn, ms) => {
      t.fn = fn;
      t.armedMs = ms;
      return () => {
        t.cancelled = true;
      };
    }) as SetTimer,
    fire: () => t.fn?.(),
  };
  return t;
}

/** A runner that starts a reply, then never finishes nor acknowledges an abort (a stuck server). */
class StuckRunner implements ModelRunner {
  readonly requests: RunRequest[] = [];
  started: Promise<void>;
  private markStarted!: () => void;
  constructor(private readonly partial = '{"n":') {
    this.started = new Promise((resolve) => (this.markStarted = resolve));
  }
  async *stream(request: RunRequest): AsyncIterable<StreamPart> {
    this.requests.push(request);
    yield { type: 'text-delta', text: this.partial };
    this.markStarted();
    await new Promise(() => {});
  }
}

describe('askJson', () => {
  it('takes a valid first reply, with the schema sent as structured output', async () => {
    const runner = new FakeRunner({ m: '{"n":7}' });
    const reply = await askJson({ runner, model: 'm', messages: ask, schema, purpose: 'other' });
    expect(reply).toMatchObject({ ok: true, value: { n: 7 }, attempts: 1, text: '{"n":7}', servedBy: 'm' });
    expect(runner.calls).toHaveLength(1);
    expect(runner.calls[0]!.request).toMatchObject({ purpose: 'other', options: { jsonSchema: { type: 'object', properties: { n: { type: 'number' } } } } });
    expect(runner.calls[0]!.request.options?.jsonSchema?.$schema).toBeUndefined();
  });

  it('passes an explicit JSON schema, temperature and token cap to the provider', async () => {
    const runner = new FakeRunner({ m: '{"n":1}' });
    const jsonSchema = { type: 'object', properties: { n: { type: 'integer' } } };
    await askJson({ runner, model: 'm', messages: ask, schema, jsonSchema, temperature: 0, maxTokens: 50, purpose: 'other' });
    expect(runner.calls[0]!.request.options).toEqual({ jsonSchema, temperature: 0, maxTokens: 50 });
  });

  it('sends an invalid reply back once with its errors, then accepts the fix', async () => {
    const runner = new FakeRunner({ m: (_req, i) => (i === 0 ? '{"n":"seven"}' : '{"n":7}') });
    const reply = await askJson({ runner, model: 'm', messages: ask, schema, signal: new AbortController().signal, purpose: 'other' });
    expect(reply).toMatchObject({ ok: true, value: { n: 7 }, attempts: 2 });
    const retry = runner.calls[1]!.request.messages;
    expect(retry.slice(0, -2)).toEqual(ask);
    expect(retry.at(-2)).toEqual({ role: 'assistant', content: '{"n":"seven"}' });
    expect(retry.at(-1)?.content).toMatch(/could not be used:\n- n: /);
    expect(runner.calls[0]!.request.options?.jsonSchema).toMatchObject({ type: 'object', properties: { n: { type: 'number' } } });
  });

  it('sums usage over the attempts', async () => {
    const runner = new FakeRunner({
      m: (_req, i) => (i === 0 ? { text: 'nope', usage: { inputTokens: 10, outputTokens: 2, estimated: false } } : { text: '{"n":1}', usage: { inputTokens: 20, outputTokens: 3, estimated: false } }),
    });
    const reply = await askJson({ runner, model: 'm', messages: ask, schema, purpose: 'other' });
    expect(reply.usage).toMatchObject({ inputTokens: 30, outputTokens: 5 });
  });

  it('gives up after the retry, and reports stream errors without retrying', async () => {
    const runner = new FakeRunner({ m: 'nope', broken: { error: new SwitchboardError('unavailable', 'down') } });
    const signal = new AbortController().signal;
    const invalid = await askJson({ runner, model: 'm', messages: [], schema, signal, purpose: 'other', check: () => ['never'] });
    expect(invalid).toMatchObject({ ok: false, reason: 'invalid', attempts: 2, errors: ['The reply is not a JSON object.'], text: 'nope' });
    const failed = await askJson({ runner, model: 'broken', messages: [], schema, signal, purpose: 'other' });
    expect(failed).toMatchObject({ ok: false, reason: 'error', attempts: 1, errors: ['down'], error: { code: 'unavailable' } });
    expect(runner.callsFor('broken')).toHaveLength(1);
  });

  it('sends check() errors back like schema errors, and stops after `retries`', async () => {
    const runner = new FakeRunner({ m: (_req, i) => `{"n":${i}}` });
    const check = (v: { n: number }): string[] => (v.n < 1 ? [`n must be at least 1, not ${v.n}.`] : []);
    const fixed = await askJson({ runner, model: 'm', messages: ask, schema, check, purpose: 'other' });
    expect(fixed).toMatchObject({ ok: true, value: { n: 1 }, attempts: 2 });
    expect(runner.calls[1]!.request.messages.at(-1)?.content).toContain('- n must be at least 1, not 0.');

    const never = await askJson({ runner, model: 'm', messages: ask, schema, check: () => ['still wrong'], retries: 0, purpose: 'other' });
    expect(never).toMatchObject({ ok: false, reason: 'invalid', attempts: 1, errors: ['still wrong'] });
  });

  it('times out at the deadline even when the model ignores the abort, with what it had so far', async () => {
    const runner = new StuckRunner();
    const timer = manualTimer();
    const pending = askJson({ runner, model: 'm', messages: ask, schema, timeoutMs: 1500, setTimer: timer.setTimer, purpose: 'router.classify' });
    await runner.started;
    expect(timer.armedMs).toBe(1500);
    timer.fire();
    const reply = await pending;
    expect(reply).toMatchObject({ ok: false, reason: 'timeout', attempts: 1, text: '{"n":', error: { code: 'timeout' } });
    expect(!reply.ok && reply.errors[0]).toMatch(/no answer within 1500 ms/);
    expect(runner.requests[0]!.signal?.aborted).toBe(true);
    expect(timer.cancelled).toBe(true);
  });

  it('the deadline covers the retry too', async () => {
    const timer = manualTimer();
    const runner = new FakeRunner({ m: (_req, i) => (i === 0 ? 'nope' : { hang: true }) });
    const pending = askJson({ runner, model: 'm', messages: ask, schema, timeoutMs: 100, setTimer: timer.setTimer, purpose: 'other' });
    while (runner.calls.length < 2) await new Promise((resolve) => setImmediate(resolve));
    timer.fire();
    expect(await pending).toMatchObject({ ok: false, reason: 'timeout', attempts: 2 });
    expect(runner.calls).toHaveLength(2);
    expect(runner.calls[1]!.request.signal?.aborted).toBe(true);
  });

  it('stops on the caller abort with a cancelled error, and never calls when already aborted', async () => {
    const runner = new StuckRunner();
    const controller = new AbortController();
    const pending = askJson({ runner, model: 'm', messages: ask, schema, signal: controller.signal, purpose: 'other' });
    await runner.started;
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, reason: 'error', error: { code: 'cancelled' }, attempts: 1 });
    expect(runner.requests[0]!.signal?.aborted).toBe(true);

    const scripted = new FakeRunner({ m: '{"n":1}' });
    const early = await askJson({ runner: scripted, model: 'm', messages: ask, schema, signal: controller.signal, purpose: 'other' });
    expect(early).toMatchObject({ ok: false, reason: 'error', error: { code: 'cancelled' } });
    expect(scripted.calls).toHaveLength(0);
  });

  it('tracks progress per attempt and the model that actually served the reply', async () => {
    const runner: ModelRunner = {
      async *stream(): AsyncIterable<StreamPart> {
        yield { type: 'fallback', from: 'm', to: 'backup', error: new SwitchboardError('unavailable', 'down') };
        yield { type: 'text-delta', text: '{"n":2}' };
        yield { type: 'finish', reason: 'stop' };
      },
    };
    const progress = { text: 'stale', firstTokenAt: null };
    const reply = await askJson({ runner, model: 'm', messages: ask, schema, progress, now: () => 42, purpose: 'council.vote' });
    expect(reply).toMatchObject({ ok: true, servedBy: 'backup', firstTokenAt: 42 });
    expect(progress).toEqual({ text: '{"n":2}', firstTokenAt: 42 });
  });
});
