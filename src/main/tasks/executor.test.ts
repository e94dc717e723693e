import { afterEach, describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../shared/errors';
import { ScriptedRunner, type ScriptedReply } from '../council';
import type { RunRequest } from '../runner';
import { MIGRATIONS, openDatabase, type Db } from '../store';
import { TaskExecutor, type TaskExecutorOptions } from './executor';
import type { PlanInput } from './plan-schema';
import { TaskGraphRepo } from './task-graph-repo';
import type { TaskEvent } from './types';
import { parsePlan } from './validate-plan';

let db: Db;
afterEach(() => db?.close());

const task = (id: string, dependsOn: string[] = [], complexity: 'trivial' | 'complex' = 'trivial') => ({ id, title: `Task ${id}`, instructions: `Do ${id}.`, kind: 'code' as const, complexity, dependsOn });
/** The task a `tasks.node` call is for, from its prompt ("Your task (<id>, <kind>)", task-prompt.ts). */
const taskOf = (req: RunRequest): string =>
  req.purpose === 'tasks.node' ? (req.messages.map((m) => /Your task \(([^,]+),/.exec(m.content)?.[1]).find(Boolean) ?? '') : '';
/** `task:<id>` for a task node's call, else its purpose: one label per call for the assertions below. */
const labelOf = (req: RunRequest): string => (req.purpose === 'tasks.node' ? `task:${taskOf(req)}` : req.purpose);

/** Executors answer "output of <id>" after `ms`; the synthesis model echoes how many results it saw. */
function scripted(ms: Record<string, number> = {}, special: (req: RunRequest, index: number) => ScriptedReply | string | undefined = () => undefined): ScriptedRunner {
  return new ScriptedRunner((req, index) => {
    const custom = special(req, index);
    if (custom !== undefined) return custom;
    if (req.purpose === 'tasks.synthesis') return { text: `Answer from ${(req.messages[1]!.content.match(/### /g) ?? []).length} results.`, tokenMs: 1 };
    return { text: `output of ${taskOf(req)}`, firstTokenMs: ms[taskOf(req)] ?? 10 };
  });
}

function setup(planInput: PlanInput, runner: ScriptedRunner, over: Partial<TaskExecutorOptions> = {}) {
  db = openDatabase(':memory:', { migrations: MIGRATIONS });
  const repo = new TaskGraphRepo(db);
  const events: TaskEvent[] = [];
  const executor = new TaskExecutor({ repo, runner, routeTask: (t) => `cheap/${t.kind}`, onEvent: (e) => events.push(e), ...over });
  const graph = repo.create({ plan: parsePlan(planInput), request: 'the request', synthesisModel: 'big/orchestrator' });
  return { repo, executor, events, graphId: graph.id };
}

const call = (runner: ScriptedRunner, id: string) => runner.calls.filter((c) => labelOf(c.request) === `task:${id}`).at(-1)!;
const diamond: PlanInput = { goal: 'g', tasks: [task('a'), task('b', ['a']), task('c', ['a']), task('d', ['b', 'c'])] };

describe('TaskExecutor', () => {
  it('runs tasks after their dependencies, passes outputs on, and synthesises the answer', async () => {
    const runner = scripted({ a: 20, b: 60, c: 20, d: 10 });
    const { executor, events, graphId } = setup(diamond, runner);
    const graph = await executor.run(graphId);
    expect(graph.status).toBe('done');
    expect(graph.tasks.every((t) => t.status === 'done' && t.model === 'cheap/code')).toBe(true);
    expect(call(runner, 'b').startedAt).toBeGreaterThanOrEqual(call(runner, 'a').endedAt!);
    expect(call(runner, 'd').startedAt).toBeGreaterThanOrEqual(Math.max(call(runner, 'b').endedAt!, call(runner, 'c').endedAt!));
    const dPrompt = call(runner, 'd').request.messages[1]!.content;
    expect(dPrompt).toContain('### b: Task b\noutput of b');
    expect(dPrompt).toContain('### c: Task c\noutput of c');
    expect(dPrompt).not.toContain('output of a'); // direct dependencies only
    expect(graph.answer).toBe('Answer from 4 results.');
    const synthesis = events.filter((e) => e.type === 'synthesis-delta').map((e) => (e as { text: string }).text).join('');
    expect(synthesis).toBe(graph.answer);
    const done = events.at(-1) as Extract<TaskEvent, { type: 'graph-done' }>;
    expect(done).toMatchObject({ type: 'graph-done', status: 'done' });
    expect(done.metrics.criticalPath.taskIds).toEqual(['a', 'b', 'd']);
    expect(done.metrics.sequentialMs).toBeGreaterThan(done.metrics.criticalPath.ms);
  });

  it('never runs more than maxConcurrent tasks at once', async () => {
    const wide: PlanInput = { goal: 'g', tasks: Array.from({ length: 9 }, (_, i) => task(`t${i}`)) };
    const runner = scripted(Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`t${i}`, 30])));
    const { executor, graphId } = setup(wide, runner, { maxConcurrent: 3 });
    await executor.run(graphId);
    expect(runner.maxInflight).toBe(3);
    const fourWide = scripted();
    const second = setup(wide, fourWide);
    await second.executor.run(second.graphId);
    expect(fourWide.maxInflight).toBe(4); // seed 002's default
  });

  it('retries a failed task once, then escalates, and records every attempt', async () => {
    const escalations: Array<[string, number, string]> = [];
    const runner = scripted({}, (req) => (taskOf(req) === 'a' && req.model !== 'big/model' ? { error: new SwitchboardError('unavailable', 'overloaded') } : undefined));
    const { executor, events, graphId } = setup({ goal: 'g', tasks: [task('a')] }, runner, {
      escalate: (t, attempt, last) => {
        escalations.push([t.id, attempt, last]);
        return 'big/model';
      },
      costOf: () => 0.001,
    });
    const graph = await executor.run(graphId);
    expect(graph.tasks[0]).toMatchObject({ status: 'done', model: 'big/model', attempts: 3 });
    expect(graph.tasks[0]!.costUsd).toBeCloseTo(0.001); // failed attempts had no usage
    expect(runner.calls.filter((c) => labelOf(c.request) === 'task:a').map((c) => c.model)).toEqual(['cheap/code', 'cheap/code', 'big/model']);
    expect(escalations).toEqual([['a', 2, 'cheap/code']]);
    const failures = events.filter((e) => e.type === 'task-failed') as Array<Extract<TaskEvent, { type: 'task-failed' }>>;
    expect(failures.map((f) => [f.attempt, f.final, f.nextModel])).toEqual([[1, false, 'cheap/code'], [2, false, 'big/model']]);
  });

  it('skips the same-model retry for errors that cannot pass, and isolates the failure', async () => {
    const plan: PlanInput = { goal: 'g', tasks: [task('a'), task('b', ['a']), task('c', ['b']), task('x'), task('y', ['x'])] };
    const runner = scripted({}, (req) => (taskOf(req) === 'a' ? { error: new SwitchboardError('model_not_found', 'not installed') } : undefined));
    const { executor, events, graphId } = setup(plan, runner);
    const graph = await executor.run(graphId);
    const status = Object.fromEntries(graph.tasks.map((t) => [t.id, t.status]));
    expect(status).toEqual({ a: 'failed', b: 'blocked', c: 'blocked', x: 'done', y: 'done' });
    expect(runner.calls.filter((c) => labelOf(c.request) === 'task:a')).toHaveLength(1);
    expect(graph.status).toBe('failed');
    expect(graph.error?.message).toMatch(/"a" failed \(not installed\)\. Blocked by it: b, c\. Re-run a failed task/);
    expect(graph.answer).toBeNull();
    const final = events.find((e) => e.type === 'task-failed' && e.final) as Extract<TaskEvent, { type: 'task-failed' }>;
    expect(final).toMatchObject({ taskId: 'a', blocked: ['b', 'c'] });
  });

  it('re-runs one task on another model, with its dependents only', async () => {
    const runner = scripted();
    const { executor, graphId } = setup(diamond, runner);
    await executor.run(graphId);
    const before = runner.calls.length;
    const graph = await executor.rerun(graphId, 'b', { model: 'big/model' });
    const rerun = runner.calls.slice(before).map((c) => `${labelOf(c.request)}@${c.model}`);
    expect(rerun).toEqual(['task:b@big/model', 'task:d@cheap/code', 'tasks.synthesis@big/orchestrator']);
    expect(graph.status).toBe('done');
    expect(graph.tasks.find((t) => t.id === 'b')).toMatchObject({ model: 'big/model', modelOverride: 'big/model' });
    await expect(executor.rerun(graphId, 'nope')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('cancels: aborts running requests, then continues on the next run', async () => {
    const runner = scripted({ a: 10, b: 5000, c: 5000 });
    const { executor, events, graphId } = setup(diamond, runner);
    const running = executor.run(graphId);
    await expect.poll(() => runner.inflight).toBe(2); // b and c
    expect(executor.cancel(graphId)).toBe(true);
    const graph = await running;
    expect(graph.status).toBe('cancelled');
    expect(runner.abortedCalls().map((c) => labelOf(c.request)).sort()).toEqual(['task:b', 'task:c']);
    expect(Object.fromEntries(graph.tasks.map((t) => [t.id, t.status]))).toEqual({ a: 'done', b: 'cancelled', c: 'cancelled', d: 'cancelled' });
    expect(events.at(-1)).toMatchObject({ type: 'graph-done', status: 'cancelled' });
    expect(executor.cancel(graphId)).toBe(false);

    const fast = new TaskExecutor({ repo: new TaskGraphRepo(db), runner: scripted(), routeTask: () => 'cheap/again' });
    const resumed = await fast.run(graphId);
    expect(resumed.status).toBe('done');
    expect(resumed.tasks.find((t) => t.id === 'a')!.model).toBe('cheap/code'); // not re-run
  });

  it('computes the critical path, the sequential time and the cost per task', async () => {
    const runner = scripted({ a: 30, b: 120, c: 30, d: 30 });
    const { executor, graphId, events } = setup(diamond, runner, { costOf: (model) => (model.startsWith('big') ? 0.01 : 0.001) });
    const graph = await executor.run(graphId);
    const { metrics } = events.at(-1) as Extract<TaskEvent, { type: 'graph-done' }>;
    expect(metrics.criticalPath.taskIds).toEqual(['a', 'b', 'd']);
    const dur = Object.fromEntries(graph.tasks.map((t) => [t.id, t.durationMs!]));
    expect(metrics.criticalPath.ms).toBe(dur.a! + dur.b! + dur.d!);
    expect(metrics.sequentialMs).toBe(dur.a! + dur.b! + dur.c! + dur.d!);
    expect(metrics.wallMs).toBeGreaterThanOrEqual(metrics.criticalPath.ms);
    expect(metrics.tasks.map((t) => t.costUsd)).toEqual([0.001, 0.001, 0.001, 0.001]);
    expect(metrics.totalCostUsd).toBeCloseTo(0.014);
  });

  it('refuses to run a graph twice at once', async () => {
    const { executor, graphId } = setup(diamond, scripted({ a: 50 }));
    const first = executor.run(graphId);
    await expect(executor.run(graphId)).rejects.toMatchObject({ code: 'conflict' });
    await first;
  });
});
