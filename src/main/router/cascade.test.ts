import { describe, expect, it } from 'vitest';
import { analyse } from './analyse';
import { runCascade, withEscalationNote, type CascadeEvent } from './cascade';
import { decide } from './policy';
import { codeFenceGate, defaultGates, refusalGate, runGates, type GateInput } from './quality-gates';
import { ScriptedRunner, testContext, type ScriptedReply } from './testing';
import { validatorGate } from './validator-gate';

const GROQ = 'groq/llama-3.3-70b-versatile';
const DEEPSEEK = 'deepseek/deepseek-chat';
const HAIKU = 'anthropic/claude-haiku-4-5';
const VALIDATOR = 'ollama/deepseek-coder:6.7b';

const REFACTOR = 'Refactor the session store in our web server into smaller modules, one for cookies and one for persistence, keeping its public API';
const REFACTOR_JSON = `${REFACTOR} and return the new module list as JSON`;

/** A refactor request of simple complexity: chain groq → deepseek → haiku. */
function setup(prompt = REFACTOR) {
  const messages = [
    { role: 'system' as const, content: 'You are helpful.' },
    { role: 'user' as const, content: prompt },
  ];
  const ctx = testContext();
  const decision = decide(analyse(messages), ctx);
  return { messages, ctx, decision };
}

async function run(first: ScriptedReply, prompt?: string, extra: { gates?: ReturnType<typeof defaultGates>; runner?: ScriptedRunner } = {}) {
  const { messages, ctx, decision } = setup(prompt);
  const runner = (extra.runner ?? new ScriptedRunner()).script(GROQ, first).script(DEEPSEEK, { text: 'A good answer.' });
  const events: CascadeEvent[] = [];
  const result = await runCascade({ decision, messages, runner, model: ctx.model, onEvent: (e) => events.push(e), gates: extra.gates });
  return { result, events, runner, decision };
}

describe('runCascade', () => {
  it('keeps the first answer that passes, with no escalation', async () => {
    const { result, events } = await run({ chunks: ['Split it ', 'into three.'], usage: { inputTokens: 100, outputTokens: 20 } });
    expect(result).toMatchObject({ ok: true, text: 'Split it into three.', model: GROQ, escalations: 0, failure: null });
    expect(result.attempts[0]?.gates.every((g) => g.passed)).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['attempt-start', 'delta', 'delta', ...defaultGates().map(() => 'gate-result'), 'done']);
  });

  it.each([
    ['empty', { text: '   ' }, /empty/],
    ['refusal', { text: "I'm sorry, but I can't help with that." }, /refused/],
    ['truncated', { text: 'The first half of', finish: 'length' as const }, /cut off/],
    ['unbalanced fence', { text: 'Here:\n```ts\nconst a = 1;\n' }, /never closed/],
    ['unparseable json block', { text: '```json\n{"a": 1,}\n```' }, /json code block does not parse/],
    ['unparseable js block', { text: '```js\nfunction (\n```' }, /js code block does not parse/],
    ['a model error', { text: 'partial', error: 'unavailable' as const }, /failed/],
  ])('escalates on %s, with the failure in a system note', async (_, reply, reason) => {
    const { result, events, runner } = await run(reply);
    expect(result).toMatchObject({ ok: true, text: 'A good answer.', model: DEEPSEEK, escalations: 1 });
    const escalate = events.find((e) => e.type === 'escalate');
    expect(escalate).toMatchObject({ from: GROQ, to: DEEPSEEK, reason: expect.stringMatching(reason) });
    const retry = runner.callsTo(DEEPSEEK)[0]?.messages ?? [];
    expect(retry.at(-2)).toMatchObject({ role: 'system', content: expect.stringMatching(reason) });
    expect(retry.at(-1)?.role).toBe('user');
    expect(result.attempts[0]?.passed).toBe(false);
  });

  it('escalates on invalid JSON when JSON was asked for', async () => {
    const { result } = await run({ text: 'Sure! colours: red, green' }, REFACTOR_JSON);
    expect(result.attempts[0]?.gates.at(-1)).toMatchObject({ gate: 'json', passed: false });
    expect(result.model).toBe(DEEPSEEK);
  });

  it('accepts JSON in a fence when JSON was asked for', async () => {
    const { result } = await run({ text: '```json\n{"colours":["red"]}\n```' }, REFACTOR_JSON);
    expect(result).toMatchObject({ ok: true, model: GROQ });
  });

  it('escalates when the validator model scores below 0.8 (seed 002)', async () => {
    const runner = new ScriptedRunner().script(VALIDATOR, { text: '{"score":0.4,"issues":"misses the second module"}' }, { text: '{"score":0.9,"issues":""}' });
    const gates = [...defaultGates(), validatorGate({ runner, model: VALIDATOR, threshold: 0.8 })];
    const { result, events } = await run({ text: 'Half an answer.' }, undefined, { gates, runner });
    expect(result.model).toBe(DEEPSEEK);
    expect(result.attempts[0]?.gates.at(-1)).toMatchObject({ gate: 'validator', passed: false, score: 0.4 });
    expect(result.attempts[1]?.gates.at(-1)).toMatchObject({ gate: 'validator', passed: true, score: 0.9 });
    expect(events.find((e) => e.type === 'escalate')).toMatchObject({ reason: expect.stringMatching(/scored it 0.40 \(below 0.8\): misses the second module/) });
    expect(runner.callsTo(VALIDATOR)[0]).toMatchObject({ purpose: 'router.validate', options: { jsonSchema: expect.any(Object) } });
  });

  it('skips the validator gate (never escalates) when the validator cannot answer', async () => {
    const runner = new ScriptedRunner().script(VALIDATOR, { text: 'looks fine to me' });
    const gates = [...defaultGates(), validatorGate({ runner, model: VALIDATOR, threshold: 0.8 })];
    const { result } = await run({ text: 'An answer.' }, undefined, { gates, runner });
    expect(result).toMatchObject({ ok: true, model: GROQ });
    expect(result.attempts[0]?.gates.at(-1)).toMatchObject({ gate: 'validator', passed: true, skipped: true });
  });

  it('stops at the escalation limit and returns the diagnosis with the last text', async () => {
    const { messages, decision, ctx } = setup();
    const runner = new ScriptedRunner().script(GROQ, { text: '' }).script(DEEPSEEK, { text: 'Sorry, I cannot help with that.' }).script(HAIKU, { text: 'fine' });
    const result = await runCascade({ decision, messages, runner, model: ctx.model, maxEscalations: 1 });
    expect(result.ok).toBe(false);
    expect(result.attempts.map((a) => a.model)).toEqual([GROQ, DEEPSEEK]);
    expect(runner.callsTo(HAIKU)).toHaveLength(0);
    expect(result.text).toBe('Sorry, I cannot help with that.');
    expect(result.failure).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/empty.*refused/) });
    // The second note carries both failures.
    expect(runner.callsTo(DEEPSEEK)[0]?.messages.at(-2)?.content).toMatch(/was empty/);
  });

  it("in 'stream' mode escalates unseen on a refused opening, then sends the next answer as it comes", async () => {
    const { messages, decision, ctx } = setup();
    const runner = new ScriptedRunner().script(GROQ, { chunks: ["I'm sorry, ", "but I can't help with that."] }).script(DEEPSEEK, { chunks: ['Good ', 'answer.'] });
    const events: CascadeEvent[] = [];
    const result = await runCascade({ decision, messages, runner, model: ctx.model, deltas: 'stream', onEvent: (e) => events.push(e) });
    expect(result).toMatchObject({ ok: true, model: DEEPSEEK, escalations: 1 });
    const shown = events.filter((e) => e.type === 'commit' || e.type === 'delta').map((e) => (e.type === 'delta' ? e.text : `commit:${e.model}`));
    expect(shown).toEqual([`commit:${DEEPSEEK}`, 'Good ', 'answer.']);
  });

  it("in 'stream' mode a committed answer stands when an end-of-stream gate fails: recorded, not escalated", async () => {
    const { messages, decision, ctx } = setup();
    const runner = new ScriptedRunner().script(GROQ, { chunks: ['Here:\n', '```js\n', 'let a = 1;\n'] }).script(DEEPSEEK, { text: 'A good answer.' });
    const events: CascadeEvent[] = [];
    const result = await runCascade({ decision, messages, runner, model: ctx.model, deltas: 'stream', onEvent: (e) => events.push(e) });
    expect(result).toMatchObject({ ok: false, model: GROQ, text: 'Here:\n```js\nlet a = 1;\n', escalations: 0 });
    expect(result.attempts[0]!.gates.at(-1)).toMatchObject({ gate: 'code-fence', passed: false });
    expect(result.failure?.message).toMatch(/never closed/);
    expect(runner.callsTo(DEEPSEEK)).toHaveLength(0);
    expect(events.filter((e) => e.type === 'escalate')).toEqual([]);
    // The first delta went out with the first chunk, not at the end.
    expect(events.findIndex((e) => e.type === 'delta')).toBeLessThan(events.findIndex((e) => e.type === 'gate-result'));
  });

  it("in 'kept' mode streams only the deltas of the answer that passed", async () => {
    const { messages, decision, ctx } = setup();
    const runner = new ScriptedRunner().script(GROQ, { text: "I can't help with that." }).script(DEEPSEEK, { chunks: ['Good ', 'answer.'] });
    const deltas: string[] = [];
    await runCascade({ decision, messages, runner, model: ctx.model, deltas: 'kept', onEvent: (e) => e.type === 'delta' && deltas.push(e.text) });
    expect(deltas).toEqual(['Good ', 'answer.']);
  });

  it('counts cost and latency per attempt', async () => {
    const { messages, decision, ctx } = setup();
    let t = 1_000;
    const runner = new ScriptedRunner().script(GROQ, { text: '' }).script(DEEPSEEK, { text: 'ok', usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 } });
    const result = await runCascade({ decision, messages, runner, model: ctx.model, now: () => (t += 10) });
    expect(result.attempts.map((a) => a.costUsd)).toEqual([0, 0.27 + 1.1]);
    expect(result.costUsd).toBeCloseTo(1.37, 9);
    expect(result.attempts.every((a) => a.latencyMs > 0)).toBe(true);
  });

  it('stops on cancel without escalating', async () => {
    const { messages, decision, ctx } = setup();
    const controller = new AbortController();
    const runner = new ScriptedRunner().script(GROQ, { hang: true });
    const pending = runCascade({ decision, messages, runner, model: ctx.model, signal: controller.signal });
    controller.abort();
    const result = await pending;
    expect(result.failure?.code).toBe('cancelled');
    expect(runner.callsTo(DEEPSEEK)).toHaveLength(0);
  });

  it('with an empty chain, fails with a diagnosis and makes no call', async () => {
    const { messages } = setup();
    const decision = decide(analyse(messages), testContext({ offline: true, installedLocal: [] }));
    const runner = new ScriptedRunner();
    const result = await runCascade({ decision, messages, runner });
    expect(result).toMatchObject({ ok: false, attempts: [], failure: { message: expect.stringMatching(/no model was available/) } });
  });
});

describe('quality gates', () => {
  const input = (text: string): GateInput => ({ text, finishReason: 'stop', model: GROQ, analysis: setup().decision.analysis, messages: [], error: null });

  it('tells a refusal from an answer that mentions a limitation', async () => {
    expect((await refusalGate.check(input('I cannot assist with that request.'))).passed).toBe(false);
    expect((await refusalGate.check(input("As an AI language model, I can't provide that."))).passed).toBe(false);
    expect((await refusalGate.check(input("I can't run code, but here is what it prints: 3"))).passed).toBe(true);
    expect((await refusalGate.check(input('Here is the fix. I cannot help noticing the typo too.'))).passed).toBe(true);
  });

  it('parses JS blocks without running them, and leaves ES modules alone', async () => {
    expect((await codeFenceGate.check(input('```js\nprocess.exit(1)\n```'))).passed).toBe(true);
    expect((await codeFenceGate.check(input('```js\nconst x = await load();\nreturn x;\n```'))).passed).toBe(true);
    expect((await codeFenceGate.check(input("```js\nimport x from 'y';\nexport default x;\n```"))).passed).toBe(true);
    expect((await codeFenceGate.check(input('```python\ndef (:\n```'))).passed).toBe(true);
  });

  it('stops at the first failure, and skips a gate that throws', async () => {
    const boom = { name: 'boom', check: () => Promise.reject(new Error('bug')) };
    const results = await runGates([boom, ...defaultGates()], input(''));
    expect(results.map((r) => [r.gate, r.passed])).toEqual([
      ['boom', true],
      ['empty', false],
    ]);
    expect(results[0]?.skipped).toBe(true);
  });

  it('places the escalation note before the last user message', () => {
    const out = withEscalationNote(
      [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: 'c' },
      ],
      ['x failed'],
    );
    expect(out.map((m) => m.role)).toEqual(['user', 'assistant', 'system', 'user']);
  });
});
