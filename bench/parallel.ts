// Coordination overhead of the council and the task executor, on scripted models with fixed
// latencies (no network, no model): how close does wall time come to the theoretical floor?
//   council:  wall / latency of the K-th fastest member (seed 001: early completion at min_responses)
//   executor: wall / critical path of the scripted durations (seed 003: "critical steps")
// Target: median ratio ≤ 1.05 for each. Run alone with `npx tsx bench/parallel.ts`.
import { pathToFileURL } from 'node:url';
import { ScriptedRunner, runCouncil } from '../src/main/council';
import { MIGRATIONS, openDatabase } from '../src/main/store';
import { migration } from '../src/main/store/migrations/006-parallel';
import { TaskExecutor, TaskGraphRepo, heaviestChain, parsePlan, type PlanInput } from '../src/main/tasks';
import type { BenchResult } from './provider-overhead';

type BenchRow = { scenario: string; run: number; wallMs: number; floorMs: number; ratio: number };
/** `observedMs`: the floor as it actually happened (the K-th answer's own latency, the critical path of measured durations). */
type Measured = BenchRow & { observedMs: number };

const RUNS = 11;
/** Sub-millisecond clock: Date.now()'s 1 ms steps are 1.7 % of the council's 60 ms floor. */
const now = (): number => performance.now();
const TARGET = 1.05;
/** Five members, seed-like spread; the council proceeds at 3 answers, so the floor is 60 ms. */
const COUNCIL_LATENCIES_MS = [20, 40, 60, 80, 100];
const MIN_RESPONSES = 3;

/** Two branches that meet, one side chain, a fan-out under the concurrency limit (4). */
const GRAPH_LATENCIES_MS: Record<string, number> = { a: 20, b: 40, c: 60, d: 80, e: 100, f: 20, g: 40, h: 60 };
const GRAPH: Array<[string, string[]]> = [['a', []], ['b', ['a']], ['c', ['a']], ['d', []], ['e', ['b', 'c']], ['f', ['d']], ['g', ['e', 'f']], ['h', ['d']]];

const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
const median = (values: number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function councilRun(run: number): Promise<Measured> {
  const models = COUNCIL_LATENCIES_MS.map((_, i) => `bench/m${i}`);
  const runner = new ScriptedRunner((req) => ({
    text: JSON.stringify({ verdict: 'approve', reason: 'ok' }),
    firstTokenMs: COUNCIL_LATENCIES_MS[models.indexOf(req.model)],
  }));
  const record = await runCouncil({ question: 'Approve?', models, minResponses: MIN_RESPONSES, pool: 'quick', runner, mode: 'consensus', now });
  const floorMs = [...COUNCIL_LATENCIES_MS].sort((x, y) => x - y)[MIN_RESPONSES - 1] as number;
  const observedMs = record.responses.filter((r) => r.status === 'answered').map((r) => r.latencyMs).sort((x, y) => x - y)[MIN_RESPONSES - 1] as number;
  return { scenario: 'council', run, wallMs: round(record.wallMs), floorMs, ratio: round(record.wallMs / floorMs, 3), observedMs };
}

async function executorRun(run: number): Promise<Measured> {
  const db = openDatabase(':memory:', { migrations: [...MIGRATIONS.filter((m) => m.version !== 6), migration] });
  try {
    const plan: PlanInput = {
      goal: 'bench',
      tasks: GRAPH.map(([id, dependsOn]) => ({ id, title: id, instructions: `do ${id}`, kind: 'other', complexity: 'simple', dependsOn })),
    };
    const repo = new TaskGraphRepo(db);
    const graph = repo.create({ plan: parsePlan(plan), request: 'bench', synthesisModel: 'bench/boss' });
    const runner = new ScriptedRunner((req) => {
      // A task node's prompt names its task: "Your task (<id>, <kind>)" (tasks/task-prompt.ts).
      const id = req.purpose === 'tasks.node' ? (req.messages.map((m) => /Your task \(([^,]+),/.exec(m.content)?.[1]).find(Boolean) ?? '') : '';
      return { text: `out ${id}`, firstTokenMs: GRAPH_LATENCIES_MS[id] ?? 0 };
    });
    const done = await new TaskExecutor({ repo, runner, routeTask: () => 'bench/exec', now }).run(graph.id);
    const floorMs = heaviestChain(done.tasks, (t) => GRAPH_LATENCIES_MS[t.id] ?? 0).total;
    const observedMs = heaviestChain(done.tasks, (t) => t.durationMs ?? 0).total;
    return { scenario: 'executor', run, wallMs: round(done.wallMs), floorMs, ratio: round(done.wallMs / floorMs, 3), observedMs };
  } finally {
    db.close();
  }
}

/** How late a bare 60 ms timer fires here: the part of any ratio that no scheduler can remove. */
async function timerSlackMs(): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 60));
    samples.push(performance.now() - start - 60);
  }
  return median(samples);
}

export async function benchParallel(): Promise<BenchResult> {
  await councilRun(0); // warm-up: module loading and JIT out of the measured runs
  await executorRun(0);
  const measured: Measured[] = [];
  for (let run = 1; run <= RUNS; run++) measured.push(await councilRun(run));
  for (let run = 1; run <= RUNS; run++) measured.push(await executorRun(run));
  const of = (scenario: string): Measured[] => measured.filter((m) => m.scenario === scenario);
  const council = median(of('council').map((m) => m.wallMs / m.floorMs));
  const executor = median(of('executor').map((m) => m.wallMs / m.floorMs));
  const councilCoordination = median(of('council').map((m) => m.wallMs / m.observedMs));
  const executorScheduling = median(of('executor').map((m) => m.wallMs / m.observedMs));
  const rows: BenchRow[] = measured.map(({ observedMs: _o, ...row }) => row);
  const slack = await timerSlackMs();
  return {
    name: 'parallel',
    rows,
    summary: {
      runs: RUNS,
      councilOverheadMedian: Number(council.toFixed(3)),
      executorOverheadMedian: Number(executor.toFixed(3)),
      /** Against the floor as it happened (K-th answer's own latency; critical path of measured durations): our code alone, without timer and CPU slack. */
      councilCoordinationOverheadMedian: Number(councilCoordination.toFixed(3)),
      executorSchedulingOverheadMedian: Number(executorScheduling.toFixed(3)),
      timerSlackMs: Number(slack.toFixed(2)),
      target: TARGET,
      pass: council <= TARGET && executor <= TARGET,
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchParallel();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
