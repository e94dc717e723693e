// Council runs and task graphs through the app (council/council-service.ts, tasks/task-graph-service.ts): the contract calls, the event
// bus, SQLite, the router and the reliability layer, against a fake Ollama with scripted latencies.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/shared/contract';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { createTestApp, waitFor, type TestApp } from '../helpers/app-harness';

let fake: FakeOllama;
let h: TestApp;
let seen: EventEnvelope[] = [];
let unsubscribe: () => void = () => {};

type Req = { model: string; messages: Array<{ role: string; content: string }>; format?: unknown };

/** Generation requests only: the app also lists (/api/tags) and inspects (/api/show) models. */
const isGeneration = (r: { path: string }): boolean => r.path === '/api/chat' || r.path === '/api/generate';
const generating = (): number => fake.requests.filter((r) => isGeneration(r) && r.endedAt === undefined).length;

/** The straggler's latency: far beyond anything the other members or the stages take. */
const STRAGGLER_MS = 10_000;

/** Stage 1 "quality N" answers; reviews rank by quality; the chairman writes the synthesis. */
function member(quality: number) {
  return (req: Req): string => {
    const schema = req.format as { properties?: Record<string, unknown> } | undefined;
    if (schema?.properties?.ranking) {
      const prompt = req.messages.find((m) => m.role === 'user')?.content ?? '';
      const shown = [...prompt.matchAll(/### Answer ([A-Z]+)\n[^\n]*quality (\d+)/g)].map((m) => ({ label: m[1], q: Number(m[2]) }));
      return JSON.stringify({ ranking: shown.sort((a, b) => b.q - a.q).map((s) => s.label), reasons: 'higher quality first' });
    }
    if (req.messages[0]?.content.startsWith('You chair')) return `Synthesis by ${req.model}.`;
    return `Answer from ${req.model}, quality ${quality}.`;
  };
}

const taskOf = (req: Req): string => /Your task \(([^,]+),/.exec(req.messages[1]?.content ?? '')?.[1] ?? 'synthesis';
const task = (id: string, dependsOn: string[] = []) => ({ id, title: `Write part ${id}`, instructions: `Write part ${id} of the note.`, kind: 'docs', complexity: 'simple', dependsOn });

function listen(): void {
  unsubscribe();
  seen = [];
  unsubscribe = h.app.events.subscribe((e) => seen.push(e));
}

beforeAll(async () => {
  fake = await startFakeOllama({
    models: [
      { name: 'exec:1b', parameterSize: '1B' },
      { name: 'fast-a:1b', parameterSize: '1B' },
      { name: 'fast-b:1b', parameterSize: '1B' },
      { name: 'fast-c:1b', parameterSize: '1B' },
      { name: 'boss:70b', parameterSize: '70B' },
      { name: 'slow:8b', parameterSize: '8B' },
    ],
  });
  h = createTestApp({ ollamaUrl: fake.url });
  // Executors: the router's local rung is exec:1b (its first choice); the planner is the strongest local model.
  h.app.services.settings.update({ router: { rungs: { local: ['ollama/exec:1b'] } } });
  listen();
});
afterEach(() => {
  for (const name of ['*', 'exec:1b', 'fast-a:1b', 'fast-b:1b', 'fast-c:1b', 'boss:70b', 'slow:8b']) fake.setBehavior(name, {});
});
afterAll(async () => {
  unsubscribe();
  await h.close();
  await fake.close();
});

describe('council through the app', () => {
  it('cuts off the straggler (its request aborted), follows the K-th fastest, streams events and saves the run', async () => {
    fake.setBehavior('slow:8b', { reply: member(9), firstTokenDelayMs: STRAGGLER_MS });
    fake.setBehavior('fast-a:1b', { reply: member(1), firstTokenDelayMs: 30, tokenDelayMs: 1 });
    fake.setBehavior('fast-b:1b', { reply: member(2), firstTokenDelayMs: 150, tokenDelayMs: 1 });
    fake.setBehavior('fast-c:1b', { reply: member(3), firstTokenDelayMs: 250, tokenDelayMs: 1 });
    // The straggler is listed first so that it holds one of Ollama's two slots (the reliability
    // layer's local concurrency) and its request is in flight when it is cut off.
    const models = ['ollama/slow:8b', 'ollama/fast-a:1b', 'ollama/fast-b:1b', 'ollama/fast-c:1b'];
    const { runId, live } = await h.app.call('council.start', { question: 'Which sort for nearly sorted data?', models, minResponses: 3, pool: 'balanced', mode: 'synthesis' });
    expect(live.members['ollama/slow:8b']).toMatchObject({ status: 'waiting' });
    const record = (await h.app.services.council.wait(runId))!;

    expect(record.status).toBe('completed');
    expect(record.responses.find((r) => r.model === 'ollama/slow:8b')).toMatchObject({ status: 'cut-off' });
    await expect.poll(() => fake.abortedRequests().map((r) => r.model)).toContain('slow:8b');
    // Wall time follows the 3rd fastest answer, not the straggler: waiting for it would take at
    // least STRAGGLER_MS (a bound on what was waited for, not a speed claim).
    expect(record.generationMs).toBeGreaterThanOrEqual(250);
    expect(record.wallMs).toBeLessThan(STRAGGLER_MS);
    expect(record.notes.join(' ')).toMatch(/slow:8b was still answering/);
    expect(record.review!.ranking.map((r) => r.candidate)).toEqual(['ollama/fast-c:1b', 'ollama/fast-b:1b', 'ollama/fast-a:1b']);
    expect(record.answer).toBe('Synthesis by fast-c:1b.');
    for (const r of record.responses.filter((x) => x.status === 'answered')) expect(r.costUsd).toBe(0); // local: free

    // The events reached the bus: started, each member settling, the synthesis, the saved record.
    const ofRun = seen.filter((e) => ('runId' in e.payload && e.payload.runId === runId) || (e.event === 'council.progress' && e.payload.event.runId === runId) || (e.event === 'council.started' && e.payload.live.runId === runId));
    expect(ofRun[0]!.event).toBe('council.started');
    const progress = ofRun.flatMap((e) => (e.event === 'council.progress' ? [e.payload.event] : []));
    expect(progress.filter((p) => p.type === 'member-done').map((p) => [p.model, p.status])).toEqual(
      expect.arrayContaining([['ollama/fast-a:1b', 'answered'], ['ollama/fast-c:1b', 'answered'], ['ollama/slow:8b', 'cut-off']]),
    );
    expect(progress.filter((p) => p.type === 'synthesis-delta').map((p) => p.text).join('')).toBe(record.answer);
    const finished = ofRun.at(-1)!;
    expect(finished.event).toBe('council.finished');

    // Saved: listed in the history, readable, exportable as llm-performance entries.
    expect((await h.app.call('council.list', {})).runs.map((r) => r.id)).toContain(runId);
    const got = await h.app.call('council.get', { id: runId });
    expect(got.live).toBeNull();
    expect(got.record!.responses).toHaveLength(4);
    const [entry] = await h.app.call('council.export', {});
    expect(entry).toMatchObject({ task: 'Which sort for nearly sorted data?', status: { 'ollama/slow:8b': 'cut-off' }, run_status: 'completed' });
  });

  it('rejects a council with a repeated model or too many required answers, with the reason', async () => {
    await expect(h.app.call('council.start', { question: 'q', models: ['ollama/fast-a:1b', 'ollama/fast-a:1b'], minResponses: 1 })).rejects.toThrow(/listed twice/);
    await expect(h.app.call('council.start', { question: 'q', models: ['ollama/fast-a:1b', 'ollama/fast-b:1b'], minResponses: 3 })).rejects.toThrow(/cannot exceed/);
  });

  it('cancels a running council: every request is aborted and the run is saved as cancelled', async () => {
    fake.setBehavior('*', { reply: 'slow answer', firstTokenDelayMs: 8_000 });
    const { runId } = await h.app.call('council.start', { question: 'Anything?', models: ['ollama/fast-a:1b', 'ollama/fast-b:1b'], minResponses: 2 });
    await waitFor(() => generating() >= 2, 'both requests in flight');
    expect(await h.app.call('council.cancel', { runId })).toEqual({ cancelled: true });
    const record = await h.app.services.council.wait(runId);
    expect(record!.status).toBe('cancelled');
    await fake.waitForIdle();
  });
});

describe('task graphs through the app', () => {
  it('routes each task with the router, records why, and reports metrics', async () => {
    fake.setBehavior('exec:1b', { reply: (req) => `output of ${taskOf(req as Req)}`, firstTokenDelayMs: 20 });
    fake.setBehavior('boss:70b', { reply: 'The final answer.' });
    expect((await h.app.call('tasks.options', {})).plannerModel).toBe('ollama/boss:70b');
    const created = await h.app.call('tasks.create', { request: 'Write a note in three parts', plan: { goal: 'A note', tasks: [task('a'), task('b'), task('c', ['a', 'b'])] } });
    expect(created.synthesisModel).toBe('ollama/boss:70b');
    await h.app.call('tasks.run', { graphId: created.id });
    const graph = (await h.app.services.tasks.wait(created.id))!;
    expect(graph.status).toBe('done');
    expect(graph.answer).toBe('The final answer.');
    const view = await h.app.call('tasks.get', { graphId: created.id });
    for (const t of view.tasks) {
      expect(t).toMatchObject({ status: 'done', tier: 'local', route: { source: 'router', tier: 'local' } });
      expect(t.route!.reasons.length).toBeGreaterThan(0);
      expect(t.route!.model).toBe(t.model);
    }
    expect(view.tasks.find((t) => t.id === 'c')!.output).toBe('output of c');
    expect(view.metrics.sequentialMs).toBeGreaterThanOrEqual(view.metrics.criticalPath.ms);
    expect(view.metrics.criticalPath.taskIds.at(-1)).toBe('c');
    expect(view.running).toBe(false);
    expect(seen.some((e) => e.event === 'tasks.updated' && e.payload.graph.id === created.id && e.payload.graph.status === 'done')).toBe(true);
    expect(seen.some((e) => e.event === 'tasks.delta' && e.payload.graphId === created.id && e.payload.taskId === 'a')).toBe(true);
  });

  it('explains an invalid hand-written plan', async () => {
    const bad = { goal: 'g', tasks: [task('a', ['b']), task('b', ['a']), task('c', ['zzz'])] };
    const { ok, errors } = await h.app.call('tasks.validate', { plan: bad });
    expect(ok).toBe(false);
    expect(errors.join('\n')).toMatch(/cycle: a → b → a/);
    expect(errors.join('\n')).toMatch(/"c" depends on "zzz", which is not in the plan/);
    await expect(h.app.call('tasks.create', { request: 'r', plan: bad })).rejects.toThrow(/The plan cannot run/);
  });

  it('resumes a graph after a restart: finished tasks keep their output, the interrupted one runs again', async () => {
    fake.setBehavior('exec:1b', { reply: (req) => `output of ${taskOf(req as Req)}`, firstTokenDelayMs: 150 });
    fake.setBehavior('boss:70b', { reply: 'Resumed answer.' });
    const created = await h.app.call('tasks.create', { request: 'Two steps', plan: { goal: 'Resume check', tasks: [task('a'), task('b', ['a'])] } });
    await h.app.call('tasks.run', { graphId: created.id });
    // A request's body is recorded once it has been read: until then `body` is undefined.
    const requestsFor = (id: string) =>
      fake.requests.filter((r) => r.path === '/api/chat' && r.body !== undefined && taskOf(r.body as Req) === id && (r.body as Req).messages[1]?.content.includes('Overall goal: Resume check')).length;
    // b is "running" before its HTTP request leaves; wait until the fake has it, so the restart cuts a real request.
    await waitFor(() => requestsFor('b') === 1, 'b asked');
    expect(requestsFor('a')).toBe(1);

    await h.restart(); // quits mid-run: the graph is stopped and left to resume
    listen();
    const graph = (await h.app.services.tasks.wait(created.id))!;
    expect(graph.status).toBe('done');
    expect(graph.answer).toBe('Resumed answer.');
    expect(requestsFor('a')).toBe(1); // a was not run again
    expect(requestsFor('b')).toBe(2); // b was cut by the restart and ran again
    expect(h.app.services.tasks.repo.interrupted()).toEqual([]);
  });
});
