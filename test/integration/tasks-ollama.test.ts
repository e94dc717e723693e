// Planner and executor over the real Ollama provider and HTTP: concurrency is measured on the
// server (fake.maxInflight), plans travel as Ollama's `format`, outputs reach dependents' prompts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OllamaProvider } from '../../src/main/providers/ollama/ollama-provider';
import type { ModelRunner } from '../../src/main/runner';
import { MIGRATIONS, openDatabase, type Db } from '../../src/main/store';
import { TaskExecutor, TaskGraphRepo, parsePlan, planTasks, type PlanInput } from '../../src/main/tasks';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';

let fake: FakeOllama;
let runner: ModelRunner;
let db: Db;

beforeAll(async () => {
  fake = await startFakeOllama({ models: ['exec:1b', 'wide:1b', 'planner:70b'].map((name) => ({ name })) });
  const provider = new OllamaProvider({ host: () => fake.url });
  runner = { stream: (req) => provider.streamChat({ ...req, model: req.model.replace(/^ollama\//, '') }) };
});
afterAll(() => fake.close());
afterEach(() => {
  db?.close();
  fake.setBehavior('*', {});
});

type Req = { messages: Array<{ role: string; content: string }> };
const taskId = (req: Req): string => /Your task \(([^,]+),/.exec(req.messages[1]?.content ?? '')?.[1] ?? 'synthesis';
const executorReply = (req: Req): string => (taskId(req) === 'synthesis' ? 'All done.' : `result-${taskId(req)}`);
const task = (id: string, dependsOn: string[] = []) => ({ id, title: `Task ${id}`, instructions: `Do ${id}.`, kind: 'analysis' as const, complexity: 'simple' as const, dependsOn });

function open(): TaskGraphRepo {
  db = openDatabase(':memory:', { migrations: MIGRATIONS });
  return new TaskGraphRepo(db);
}

describe('tasks over Ollama', () => {
  it('keeps at most maxConcurrent requests open on the server and feeds outputs to dependents', async () => {
    fake.setBehavior('wide:1b', { reply: executorReply, firstTokenDelayMs: 40, tokenDelayMs: 1 });
    fake.setBehavior('exec:1b', { reply: executorReply, tokenDelayMs: 1 });
    const repo = open();
    const plan: PlanInput = { goal: 'survey', tasks: [...Array.from({ length: 7 }, (_, i) => task(`w${i}`)), task('sum', ['w0', 'w3', 'w6'])] };
    const graph = repo.create({ plan: parsePlan(plan), request: 'survey everything', synthesisModel: 'ollama/exec:1b' });
    const executor = new TaskExecutor({ repo, runner, maxConcurrent: 3, routeTask: (t) => (t.id === 'sum' ? 'ollama/exec:1b' : 'ollama/wide:1b') });
    const done = await executor.run(graph.id);
    expect(done.status).toBe('done');
    expect(fake.maxInflight('wide:1b')).toBe(3);
    const sumPrompt = fake.requests.filter((r) => r.model === 'exec:1b').map((r) => (r.body as Req).messages[1]!.content).find((c) => c.includes('Your task (sum,'))!;
    for (const dep of ['w0', 'w3', 'w6']) expect(sumPrompt).toContain(`### ${dep}: Task ${dep}\nresult-${dep}`);
    expect(sumPrompt).not.toContain('result-w1');
    expect(done.answer).toBe('All done.');
  });

  it('plans through Ollama structured output, with one round of corrections', async () => {
    const cyclic = { goal: 'g', tasks: [task('t1', ['t2']), task('t2', ['t1'])] };
    const fixed = { goal: 'g', tasks: [task('t1'), task('t2', ['t1'])] };
    let calls = 0;
    fake.setBehavior('planner:70b', { reply: () => JSON.stringify(++calls === 1 ? cyclic : fixed) });
    const result = await planTasks({ request: 'do two things', model: 'ollama/planner:70b', runner });
    expect(result.attempts).toBe(2);
    expect(result.plan.tasks.map((t) => [t.id, t.dependsOn])).toEqual([['t1', []], ['t2', ['t1']]]);
    const requests = fake.requests.filter((r) => r.model === 'planner:70b');
    const second = requests.at(-1)!.body as Req & { format: { properties: Record<string, unknown> } };
    expect(second.format.properties).toHaveProperty('tasks');
    expect(second.messages.at(-1)!.content).toMatch(/cycle: t1 → t2 → t1/);
  });
});
