// A graph interrupted by a crash resumes from SQLite: done tasks keep their outputs, tasks left
// `running` run again, and the rest follow. The crash is simulated by closing the database mid-run.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OllamaProvider } from '../../src/main/providers/ollama/ollama-provider';
import type { ModelRunner } from '../../src/main/runner';
import { MIGRATIONS, openDatabase, type Db } from '../../src/main/store';
import { TaskExecutor, TaskGraphRepo, type TaskEvent } from '../../src/main/tasks';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { tempDir } from '../helpers/app-harness';

let fake: FakeOllama;
let runner: ModelRunner;
let dir: string;

beforeAll(async () => {
  fake = await startFakeOllama({ models: [{ name: 'boss:70b' }] });
  const provider = new OllamaProvider({ host: () => fake.url });
  runner = { stream: (req) => provider.streamChat({ ...req, model: req.model.replace(/^ollama\//, '') }) };
  dir = tempDir();
});
afterAll(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Req = { messages: Array<{ role: string; content: string }> };
const taskId = (req: Req): string => /Your task \(([^,]+),/.exec(req.messages[1]?.content ?? '')?.[1] ?? '?';
const open = (): Db => openDatabase(path.join(dir, 'switchboard.db'), { migrations: MIGRATIONS });
const task = (id: string, dependsOn: string[] = []) => ({ id, title: `Task ${id}`, instructions: `Do ${id}.`, kind: 'code' as const, complexity: 'simple' as const, dependsOn });

describe('task graph resume', () => {
  it('resumes after a crash: running tasks go back to pending, done tasks are not re-run', async () => {
    // Each task runs on its own fake model, for per-task latency: b is slow, c slower than a (by
    // far more than the few ms between c's request reaching the fake and the crash); the "crash"
    // happens while b and c run.
    fake.setBehavior('boss:70b', { reply: 'final answer' });
    for (const [id, ms] of Object.entries({ a: 10, b: 5000, c: 1_000, d: 10 })) {
      fake.addModel({ name: `exec-${id}:1b` });
      fake.setBehavior(`exec-${id}:1b`, { reply: (req) => `result-${taskId(req)}`, firstTokenDelayMs: ms });
    }

    let db = open();
    let repo = new TaskGraphRepo(db);
    const graph = repo.create({ plan: { goal: 'g', tasks: [task('a'), task('b', ['a']), task('c', ['a']), task('d', ['b', 'c'])] }, request: 'r', synthesisModel: 'ollama/boss:70b' });
    const started = new Set<string>();
    const first = new TaskExecutor({
      repo, runner, routeTask: (t) => `ollama/exec-${t.id}:1b`,
      onEvent: (e: TaskEvent) => {
        if (e.type === 'task-start') started.add(e.taskId);
      },
    });
    const crashed = first.run(graph.id).then(() => 'finished', (error: unknown) => String(error));
    await expect.poll(() => started.has('b') && started.has('c')).toBe(true);
    // A task is marked running before its HTTP request leaves: wait until the fake has both requests,
    // so the crash cuts real requests in flight.
    await expect.poll(() => ['exec-b:1b', 'exec-c:1b'].every((model) => fake.requests.some((r) => r.model === model))).toBe(true);
    db.close(); // the crash: nothing more reaches the database
    expect(await crashed).toMatch(/database connection is not open/);
    // The executor stopped what was still running.
    await expect.poll(() => fake.abortedRequests().some((r) => r.model === 'exec-b:1b')).toBe(true);

    db = open();
    repo = new TaskGraphRepo(db);
    expect(repo.interrupted()).toEqual([graph.id]);
    const left = repo.require(graph.id);
    expect(Object.fromEntries(left.tasks.map((t) => [t.id, t.status]))).toEqual({ a: 'done', b: 'running', c: 'running', d: 'pending' });

    fake.setBehavior('exec-b:1b', { reply: (req) => `result-${taskId(req)}`, firstTokenDelayMs: 10 });
    const aRequests = fake.requests.filter((r) => r.model === 'exec-a:1b').length;
    const resumed = await new TaskExecutor({ repo, runner, routeTask: (t) => `ollama/exec-${t.id}:1b` }).resume(graph.id);
    expect(resumed.status).toBe('done');
    expect(resumed.answer).toBe('final answer');
    expect(fake.requests.filter((r) => r.model === 'exec-a:1b')).toHaveLength(aRequests); // a kept its output
    expect(resumed.tasks.find((t) => t.id === 'a')!.output).toBe('result-a');
    const dPrompt = (fake.requests.filter((r) => r.model === 'exec-d:1b').at(-1)!.body as Req).messages[1]!.content;
    expect(dPrompt).toContain('result-b');
    expect(dPrompt).toContain('result-c');
    expect(repo.interrupted()).toEqual([]);
    db.close();
  });
});
