import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../shared/errors';
import type { ModelRunner, RunRequest, StreamPart } from '../runner';
import { seededRandom } from './random';
import { runCouncil, type RunCouncilInput } from './run-council';
import { ScriptedRunner, type ScriptedReply } from './scripted-runner';
import type { CouncilEvent } from './types';

const approve = (reason = 'looks right'): string => JSON.stringify({ verdict: 'approve', reason });
const reject = (reason = 'looks wrong'): string => JSON.stringify({ verdict: 'reject', reason });

/** A reviewer that ranks the answers it is shown by the "quality N" each answer states, best first. */
function rankByQuality(request: RunRequest): string {
  const prompt = request.messages.find((m) => m.role === 'user')?.content ?? '';
  const answers = [...prompt.matchAll(/### Answer ([A-Z]+)\n[^\n]*quality (\d+)/g)].map((m) => ({ label: m[1]!, q: Number(m[2]) }));
  return JSON.stringify({ ranking: answers.sort((a, b) => b.q - a.q).map((a) => a.label), reasons: 'by quality' });
}

/** Answers "quality i" in stage 1 (after `ms`), ranks by quality in stage 2, synthesises in stage 3. */
function member(i: number, ms = 10): (req: RunRequest) => ScriptedReply | string {
  return (req) => {
    if (req.purpose === 'council.review') return rankByQuality(req);
    if (req.purpose === 'council.synthesis') return { text: `Final answer by m${i}.`, tokenMs: 1 };
    return { text: `Answer from m${i}, quality ${i}.`, firstTokenMs: ms };
  };
}

function base(runner: ModelRunner, over: Partial<RunCouncilInput> = {}): RunCouncilInput {
  return { question: 'What is best?', models: ['m1', 'm2', 'm3', 'm4'], minResponses: 4, pool: 'quick', runner, mode: 'synthesis', random: seededRandom(7), ...over };
}

describe('runCouncil: stage 1', () => {
  it('goes on after the K fastest answers and aborts the stragglers\' requests', async () => {
    const runner = ScriptedRunner.byModel({
      a: { text: approve(), firstTokenMs: 20 },
      b: { text: approve(), firstTokenMs: 40 },
      c: { text: approve(), firstTokenMs: 60 },
      d: { text: approve(), firstTokenMs: 5000 },
      e: { text: reject(), firstTokenMs: 5000 },
    });
    const events: CouncilEvent[] = [];
    const record = await runCouncil({ ...base(runner), models: ['a', 'b', 'c', 'd', 'e'], minResponses: 3, mode: 'consensus', onEvent: (e) => events.push(e) });
    expect(record.status).toBe('completed');
    expect(record.responses.map((r) => [r.model, r.status])).toEqual([['a', 'answered'], ['b', 'answered'], ['c', 'answered'], ['d', 'cut-off'], ['e', 'cut-off']]);
    expect(record.responses.filter((r) => r.status === 'answered').map((r) => r.settledOrder)).toEqual([1, 2, 3]);
    expect(runner.abortedCalls().map((c) => c.model).sort()).toEqual(['d', 'e']);
    expect(record.wallMs).toBeLessThan(5000);
    expect(record.verdict).toMatchObject({ outcome: 'unanimous', verdict: 'approve', votes: 3 });
    expect(record.notes[0]).toMatch(/d, e were still answering when 3 answers were in/);
    const done = events.filter((e) => e.type === 'member-done').map((e) => (e as { model: string }).model);
    expect(done.slice(0, 3)).toEqual(['a', 'b', 'c']);
  });

  it('does not wait for a straggler that ignores its abort signal', async () => {
    const deaf: ModelRunner = {
      async *stream(req): AsyncIterable<StreamPart> {
        if (req.model === 'deaf') await new Promise((resolve) => setTimeout(resolve, 3000));
        yield { type: 'text-delta', text: approve() };
      },
    };
    const record = await runCouncil({ ...base(deaf), models: ['x', 'y', 'deaf'], minResponses: 2, mode: 'consensus' });
    expect(record.responses.find((r) => r.model === 'deaf')?.status).toBe('cut-off');
    expect(record.wallMs).toBeLessThan(3000);
  });

  it('times a model out, records failures, and goes on with fewer answers than asked', async () => {
    const runner = ScriptedRunner.byModel({
      m1: member(1), m2: member(2),
      slow: { text: 'late', firstTokenMs: 5000 },
      broken: { error: new SwitchboardError('unavailable', 'the server said 503'), firstTokenMs: 5 },
    });
    const record = await runCouncil({ ...base(runner), models: ['m1', 'm2', 'slow', 'broken'], perModelTimeoutMs: 150 });
    const by = Object.fromEntries(record.responses.map((r) => [r.model, r]));
    expect(by.slow).toMatchObject({ status: 'timeout', error: { code: 'timeout' } });
    expect(by.slow!.latencyMs).toBeLessThan(5000);
    expect(runner.callsFor('slow')[0]!.aborted).toBe(true);
    expect(by.broken).toMatchObject({ status: 'failed', error: { code: 'unavailable', message: 'the server said 503' } });
    expect(record.notes.join('\n')).toMatch(/Only 2 of the 4 answers asked for arrived/);
    // Two answers: no review, and the record says why.
    expect(record.review).toMatchObject({ skipped: true, reviews: [], ranking: [] });
    expect(record.review?.reason).toMatch(/only 2 answers/);
    expect(runner.calls.filter((c) => c.purpose === 'council.review')).toHaveLength(0);
    expect(record.answer).toMatch(/^Final answer by m/);
  });

  it('lets the caller give a model more time (a local model still loading)', async () => {
    const runner = ScriptedRunner.byModel({ m1: member(1), m2: member(2), cold: { text: 'loaded now', firstTokenMs: 300 } });
    const record = await runCouncil({
      ...base(runner), models: ['m1', 'm2', 'cold'], minResponses: 3, perModelTimeoutMs: 100,
      timeoutForModel: (model, ms) => (model === 'cold' ? ms + 1000 : ms),
    });
    expect(record.responses.find((r) => r.model === 'cold')).toMatchObject({ status: 'answered', text: 'loaded now' });
  });

  it('fails with a clear message when nobody answers, and stops everything on cancel', async () => {
    const down = ScriptedRunner.byModel({ a: { error: new SwitchboardError('unavailable', 'a is down') }, b: { error: new SwitchboardError('auth', 'bad key') } });
    const failed = await runCouncil({ ...base(down), models: ['a', 'b'], minResponses: 1 });
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'unavailable' } });
    expect(failed.error?.message).toMatch(/a: a is down; b: bad key/);

    const slow = ScriptedRunner.byModel({ a: { text: 'x', firstTokenMs: 5000 }, b: { text: 'y', firstTokenMs: 5000 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const stopped = await runCouncil({ ...base(slow), models: ['a', 'b'], minResponses: 2, signal: controller.signal });
    expect(stopped.status).toBe('cancelled');
    expect(stopped.responses.every((r) => r.status === 'cancelled')).toBe(true);
    expect(slow.abortedCalls()).toHaveLength(2);
  });

  it('rejects bad input', async () => {
    const runner = ScriptedRunner.byModel({});
    await expect(runCouncil({ ...base(runner), models: ['a'] })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(runCouncil({ ...base(runner), models: ['a', 'b'], minResponses: 3 })).rejects.toThrow(/minResponses/);
  });
});

describe('runCouncil: peer review and synthesis', () => {
  it('shows each reviewer the others\' answers in its own order, never its own, and Borda-counts the rankings', async () => {
    const runner = ScriptedRunner.byModel({ m1: member(1), m2: member(2), m3: member(3), m4: member(4) });
    const events: CouncilEvent[] = [];
    const record = await runCouncil({ ...base(runner), onEvent: (e) => events.push(e) });
    const reviews = record.review!.reviews;
    expect(reviews.map((r) => r.reviewer).sort()).toEqual(['m1', 'm2', 'm3', 'm4']);
    for (const r of reviews) {
      expect(r.status).toBe('ranked');
      expect(r.shown.map((s) => s.model)).not.toContain(r.reviewer);
      expect(r.shown.map((s) => s.label)).toEqual(['A', 'B', 'C']);
      // The prompt the reviewer got has the answers in exactly the recorded order.
      const prompt = runner.callsFor(r.reviewer, 'council.review')[0]!.request.messages.at(-1)!.content;
      const inPrompt = [...prompt.matchAll(/### Answer [A-Z]+\nAnswer from (m\d)/g)].map((m) => m[1]);
      expect(inPrompt).toEqual(r.shown.map((s) => s.model));
      expect(prompt).not.toContain(`Answer from ${r.reviewer},`);
      // Ranked by quality, translated back to models.
      expect(r.rankingModels).toEqual(r.shown.map((s) => s.model).sort((a, b) => b.localeCompare(a)));
    }
    // Per-reviewer shuffles: views are not simply the council's order, and the same seed gives the same views.
    const views = reviews.map((r) => r.shown.map((s) => s.model));
    expect(views.filter((v) => v.join() !== [...v].sort().join()).length).toBeGreaterThan(0);
    const again = await runCouncil(base(ScriptedRunner.byModel({ m1: member(1), m2: member(2), m3: member(3), m4: member(4) })));
    expect(again.review!.reviews.map((r) => r.shown.map((s) => s.model))).toEqual(views);
    expect(record.review!.ranking.map((r) => r.candidate)).toEqual(['m4', 'm3', 'm2', 'm1']);
    // The chairman defaults to the top-ranked author and streams its synthesis.
    expect(record.chairman).toBe('m4');
    expect(record.answer).toBe('Final answer by m4.');
    const deltas = events.filter((e) => e.type === 'synthesis-delta').map((e) => (e as { text: string }).text);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(record.answer);
    const chairmanPrompt = runner.callsFor('m4', 'council.synthesis')[0]!.request.messages.at(-1)!.content;
    expect(chairmanPrompt.indexOf('quality 4')).toBeLessThan(chairmanPrompt.indexOf('quality 1'));
  });

  it('sends an invalid ranking back once, then drops the reviewer and says so', async () => {
    const runner = ScriptedRunner.byModel({
      m1: (req) => (req.purpose === 'council.review' && runner.callsFor('m1', 'council.review').length === 1 ? '{"ranking": ["A"], "reasons": "x"}' : member(1)(req)) as string,
      m2: (req) => (req.purpose === 'council.review' ? 'I liked B best.' : member(2)(req)),
      m3: member(3), m4: member(4),
    });
    const record = await runCouncil(base(runner));
    const by = Object.fromEntries(record.review!.reviews.map((r) => [r.reviewer, r]));
    expect(by.m1).toMatchObject({ status: 'ranked', attempts: 2 });
    const retry = runner.callsFor('m1', 'council.review')[1]!.request.messages.at(-1)!.content;
    expect(retry).toMatch(/missing: B, C/);
    expect(by.m2).toMatchObject({ status: 'dropped', attempts: 2, ranking: [] });
    expect(by.m2!.note).toMatch(/m2 was dropped: its ranking was still invalid after 2 tries/);
    expect(record.notes).toContain(by.m2!.note);
    expect(record.review!.ranking[0]!.candidate).toBe('m4');
  });

  it('falls back to the top-ranked answer when the chairman fails, and totals the cost', async () => {
    const runner = ScriptedRunner.byModel({
      m1: member(1), m2: member(2), m3: member(3),
      boss: { error: new SwitchboardError('rate_limited', 'slow down') },
    });
    const record = await runCouncil({ ...base(runner), models: ['m1', 'm2', 'm3'], minResponses: 3, chairman: 'boss', costOf: (_m, u) => u.outputTokens / 1000 });
    expect(record.synthesis).toMatchObject({ model: 'boss', status: 'failed' });
    expect(record.answer).toBe('Answer from m3, quality 3.');
    expect(record.notes.at(-1)).toMatch(/chairman boss could not write the synthesis \(slow down\); showing the top-ranked answer, from m3/);
    const parts = [...record.responses.map((r) => r.costUsd!), ...record.review!.reviews.map((r) => r.costUsd!)];
    expect(record.totalCostUsd).toBeCloseTo(parts.reduce((s, c) => s + c, 0));
  });
});

describe('runCouncil: consensus', () => {
  it('reports unanimous, majority and split outcomes with the dissent', async () => {
    const run = (replies: Record<string, string>) =>
      runCouncil({ ...base(ScriptedRunner.byModel(replies)), models: Object.keys(replies), minResponses: Object.keys(replies).length, mode: 'consensus' });
    expect((await run({ a: approve(), b: approve(), c: approve() })).verdict).toMatchObject({ outcome: 'unanimous', verdict: 'approve' });
    const majority = await run({ a: approve(), b: reject('no tests'), c: approve() });
    expect(majority.verdict).toMatchObject({ outcome: 'majority', verdict: 'approve', dissent: [{ model: 'b', reason: 'no tests' }] });
    expect(majority.answer).toMatch(/^Majority: approve/);
    const split = await run({ a: approve(), b: reject(), c: approve(), d: reject() });
    expect(split.verdict).toMatchObject({ outcome: 'split', verdict: null });
  });

  it('re-asks once for a vote that is not valid JSON, with custom options', async () => {
    const runner = ScriptedRunner.byModel({
      a: (_r) => (runner.callsFor('a').length === 1 ? 'I would pick blue.' : JSON.stringify({ verdict: 'Blue', reason: 'calm' })),
      b: JSON.stringify({ verdict: 'blue', reason: 'classic' }),
    });
    const record = await runCouncil({ ...base(runner), models: ['a', 'b'], minResponses: 2, mode: 'consensus', verdictOptions: ['red', 'blue'] });
    expect(record.responses[0]).toMatchObject({ vote: { verdict: 'blue' }, attempts: 2 });
    expect(record.verdict).toMatchObject({ outcome: 'unanimous', verdict: 'blue' });
    expect(runner.calls[0]!.request.options?.jsonSchema).toMatchObject({ properties: { verdict: { enum: ['red', 'blue'] } } });
  });
});
