// The CLI's council, plan and run-plan commands, in process, against a fake Ollama.
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { tempDir, waitFor } from '../helpers/app-harness';
import { cli } from '../helpers/cli-harness';

let ollama: FakeOllama;
const dirs: string[] = [];

type Req = { model: string; messages: Array<{ role: string; content: string }>; format?: unknown };
/** Generation requests only: the CLI also lists (/api/tags) and inspects (/api/show) models. */
const isGeneration = (r: { path: string }): boolean => r.path === '/api/chat' || r.path === '/api/generate';
const generating = (): number => ollama.requests.filter((r) => isGeneration(r) && r.endedAt === undefined).length;
const abortedGenerations = (): number => ollama.abortedRequests().filter(isGeneration).length;
const schemaOf = (req: Req) => req.format as { properties?: Record<string, unknown> } | undefined;

beforeAll(async () => {
  // /api/tags lists the newest first: exec:1b, added last, is the router's first local executor.
  ollama = await startFakeOllama({
    models: [{ name: 'boss:70b', parameterSize: '70B' }, { name: 'a:1b' }, { name: 'b:1b' }, { name: 'c:1b' }, { name: 'slow:1b' }, { name: 'exec:1b', parameterSize: '1B' }],
  });
});
afterEach(() => {
  for (const name of ['*', 'boss:70b', 'a:1b', 'b:1b', 'c:1b', 'slow:1b', 'exec:1b']) ollama.setBehavior(name, {});
});
afterAll(async () => {
  await ollama.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => {
  const dir = tempDir();
  dirs.push(dir);
  return { SWITCHBOARD_DATA_DIR: dir, OLLAMA_HOST: ollama.url };
};

/** Answers "quality N"; as a reviewer, ranks by quality; as the chairman, writes the synthesis. */
function member(quality: number) {
  return (req: Req): string => {
    if (schemaOf(req)?.properties?.ranking) {
      const prompt = req.messages.find((m) => m.role === 'user')?.content ?? '';
      const shown = [...prompt.matchAll(/### Answer ([A-Z]+)\n[^\n]*quality (\d+)/g)].map((m) => ({ label: m[1], q: Number(m[2]) }));
      return JSON.stringify({ ranking: shown.sort((x, y) => y.q - x.q).map((s) => s.label), reasons: 'by quality' });
    }
    if (req.messages[0]?.content.startsWith('You chair')) return `Synthesis by ${req.model}.`;
    return `Answer from ${req.model}, quality ${quality}.`;
  };
}

/** The straggler's latency: far beyond anything the other members or the stages take. */
const STRAGGLER_MS = 10_000;

function scriptCouncil(): string {
  ollama.setBehavior('slow:1b', { reply: member(9), firstTokenDelayMs: STRAGGLER_MS });
  ollama.setBehavior('a:1b', { reply: member(1), firstTokenDelayMs: 10 });
  ollama.setBehavior('b:1b', { reply: member(2), firstTokenDelayMs: 60 });
  ollama.setBehavior('c:1b', { reply: member(3), firstTokenDelayMs: 120 });
  return ['slow:1b', 'a:1b', 'b:1b', 'c:1b'].map((m) => `ollama/${m}`).join(',');
}

const PLAN = {
  goal: 'A short guide',
  tasks: [
    { id: 'intro', title: 'Write the intro', instructions: 'Write an intro paragraph.', kind: 'docs', complexity: 'simple', dependsOn: [] },
    { id: 'steps', title: 'Write the steps', instructions: 'List the steps.', kind: 'docs', complexity: 'simple', dependsOn: [] },
    { id: 'outro', title: 'Write the outro', instructions: 'Close the guide.', kind: 'docs', complexity: 'simple', dependsOn: ['intro', 'steps'] },
  ],
};
const taskOf = (req: Req): string => /Your task \(([^,]+),/.exec(req.messages[1]?.content ?? '')?.[1] ?? '?';

describe('cli council', () => {
  it('--json: responses with status, latency and cost; the straggler cut off; Borda rankings; the synthesis', async () => {
    const models = scriptCouncil();
    const { code, stdout, stderr } = await cli(['council', 'Best sort for nearly sorted data?', '--models', models, '--json'], env());
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.responses.map((r: { model: string; status: string }) => [r.model, r.status])).toEqual([
      ['ollama/slow:1b', 'cut-off'], ['ollama/a:1b', 'answered'], ['ollama/b:1b', 'answered'], ['ollama/c:1b', 'answered'],
    ]);
    for (const r of out.responses) expect(r).toMatchObject({ latencyMs: expect.any(Number), costUsd: r.status === 'answered' ? 0 : null });
    expect(out.rankings.map((r: { model: string }) => r.model)).toEqual(['ollama/c:1b', 'ollama/b:1b', 'ollama/a:1b']);
    expect(out.synthesis).toBe('Synthesis by c:1b.');
    expect(out.estimate).toEqual({ estimatedCostUsd: 0, maxCostUsd: 0 }); // local models: the estimate says free
    // Not a speed claim: waiting for the straggler would take at least its STRAGGLER_MS.
    expect(out.wallMs).toBeLessThan(STRAGGLER_MS);
    expect(out.verdict).toBeUndefined();
  });

  it('streams the synthesis to stdout and progress to stderr without --json', async () => {
    const models = scriptCouncil();
    const { code, stdout, stderr } = await cli(['council', 'Best sort?', '--models', models, '--min-responses', '3'], env());
    expect(code).toBe(0);
    expect(stdout).toBe('Synthesis by c:1b.\n');
    expect(stderr).toMatch(/ollama\/slow:1b: cut-off after/);
    expect(stderr).toMatch(/Ranking \(Borda\): 1\. ollama\/c:1b {2}2\. ollama\/b:1b {2}3\. ollama\/a:1b/);
    expect(stderr).toMatch(/\[council · 3 of 4 answered · .* · \$0 · chairman ollama\/c:1b\]/);
  });

  it('--consensus --json adds the verdict with the dissent', async () => {
    ollama.setBehavior('a:1b', { reply: JSON.stringify({ verdict: 'approve', reason: 'tests pass' }) });
    ollama.setBehavior('b:1b', { reply: JSON.stringify({ verdict: 'approve', reason: 'fine' }) });
    ollama.setBehavior('c:1b', { reply: JSON.stringify({ verdict: 'reject', reason: 'no docs' }) });
    const { code, stdout } = await cli(['council', 'Approve this change?', '--models', 'ollama/a:1b,ollama/b:1b,ollama/c:1b', '--min-responses', '3', '--consensus', '--json'], env());
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.verdict).toMatchObject({ outcome: 'majority', verdict: 'approve', dissent: [{ model: 'ollama/c:1b', reason: 'no docs' }] });
    expect(out.synthesis).toBeNull();
  });

  it('usage mistakes exit 2; a council where nobody answers exits 1 with one line', async () => {
    const usage = await cli(['council', 'q', '--models', 'ollama/a:1b'], env());
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/at least two models/);
    expect((await cli(['council', 'q', '--models', 'ollama/a:1b,ollama/b:1b', '--pool', 'huge'], env())).code).toBe(2);
    const failed = await cli(['council', 'q', '--models', 'ollama/missing:1b,ollama/gone:1b', '--json'], env());
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed.stderr).toMatch(/^switchboard council: No council member answered/);
  });

  it('Ctrl-C cancels the run and aborts the requests (exit 130)', async () => {
    ollama.setBehavior('*', { reply: 'late', firstTokenDelayMs: 8_000 });
    const controller = new AbortController();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c) => (err += c));
    const before = abortedGenerations();
    const running = runCli(['council', 'q', '--models', 'ollama/a:1b,ollama/b:1b'], { stdout, stderr, env: env() }, controller.signal);
    await waitFor(() => generating() >= 2, 'both members asked');
    controller.abort();
    expect(await running).toBe(130);
    expect(err).toMatch(/Cancelled the council/);
    await expect.poll(() => abortedGenerations()).toBe(before + 2);
  });
});

describe('cli plan and run-plan', () => {
  it('plan --json prints the planner\'s plan only', async () => {
    ollama.setBehavior('boss:70b', { reply: (req) => (schemaOf(req)?.properties?.tasks ? JSON.stringify(PLAN) : 'answer') });
    const { code, stdout } = await cli(['plan', 'Write a short guide', '--json'], env());
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(PLAN);
    expect(ollama.requests.filter((r) => r.path === '/api/chat').at(-1)!.model).toBe('boss:70b'); // the strongest local model plans
  });

  it('plan with a model that cannot plan fails with one line', async () => {
    ollama.setBehavior('a:1b', { reply: 'not json at all' });
    const { code, stderr } = await cli(['plan', 'Write a guide', '--model', 'ollama/a:1b'], env());
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/did not produce a usable plan/);
  });

  it('run-plan --json runs the tasks in parallel and reports per-task times, wall, sequential and critical path', async () => {
    // A first token after 1 s: intro and steps overlap by far more than scheduling jitter.
    ollama.setBehavior('exec:1b', { reply: (req) => `done ${taskOf(req)}`, firstTokenDelayMs: 1_000 });
    ollama.setBehavior('boss:70b', { reply: 'The guide.' });
    // The council above left its members loaded, and Auto prefers a loaded model among equals (issue #13):
    // unload them as Ollama's API does (an empty generate with keep_alive 0), so /api/tags' order decides.
    for (const name of ['boss:70b', 'a:1b', 'b:1b', 'c:1b', 'slow:1b']) {
      await fetch(`${ollama.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: name, keep_alive: 0 }) });
    }
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'plan.json');
    fs.writeFileSync(file, JSON.stringify(PLAN));
    const { code, stdout, stderr } = await cli(['run-plan', file, '--json'], env());
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.tasks.map((t: { id: string; model: string; status: string }) => [t.id, t.model, t.status])).toEqual([
      ['intro', 'ollama/exec:1b', 'done'], ['steps', 'ollama/exec:1b', 'done'], ['outro', 'ollama/exec:1b', 'done'],
    ]);
    const [intro, steps, outro] = out.tasks;
    expect(outro.startedMs).toBeGreaterThanOrEqual(Math.max(intro.endedMs, steps.endedMs)); // waited for both
    expect(steps.startedMs).toBeLessThan(intro.endedMs); // ran beside intro
    expect(out.sequentialMs).toBeGreaterThan(out.criticalPathMs);
    expect(out.criticalPath.at(-1)).toBe('outro');
    expect(out.answer).toBe('The guide.');
    expect(out.wallMs).toBeGreaterThanOrEqual(out.criticalPathMs);
  });

  it('run-plan: Ctrl-C cancels the running tasks (exit 130)', async () => {
    ollama.setBehavior('exec:1b', { reply: 'late', firstTokenDelayMs: 8_000 });
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'plan.json');
    fs.writeFileSync(file, JSON.stringify(PLAN));
    const controller = new AbortController();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c) => (err += c));
    const before = abortedGenerations();
    const running = runCli(['run-plan', file], { stdout: new PassThrough(), stderr, env: env() }, controller.signal);
    await waitFor(() => generating() >= 2, 'intro and steps running');
    controller.abort();
    expect(await running).toBe(130);
    expect(err).toMatch(/Cancelled the task graph/);
    await expect.poll(() => abortedGenerations()).toBe(before + 2);
  });

  it('run-plan explains an invalid plan and a missing file', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ goal: 'g', tasks: [{ ...PLAN.tasks[0], dependsOn: ['nope'] }] }));
    const bad = await cli(['run-plan', file], env());
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^switchboard run-plan: The plan cannot run: - Task "intro" depends on "nope", which is not in the plan\.\n$/);
    const missing = await cli(['run-plan', path.join(dir, 'none.json')], env());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file/);
  });
});
