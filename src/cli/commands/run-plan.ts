import fs from 'node:fs';
import type { TaskGraphView } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { formatMs, formatUsd } from '../../shared/parallel-format';
import type { Command } from '../command';
import { UsageError, writeJson } from '../command';

/** The stable `--json` shape (README). `startedMs`/`endedMs` count from when the run started. */
export function runPlanJson(g: TaskGraphView, runStartedAt: number) {
  const rel = (at: number | null) => (at === null ? null : at - runStartedAt);
  return {
    graphId: g.id,
    status: g.status,
    tasks: g.tasks.map((t) => ({
      id: t.id, title: t.title, model: t.model, tier: t.tier, status: t.status, startedMs: rel(t.startedAt), endedMs: rel(t.finishedAt),
      durationMs: t.durationMs, attempts: t.attempts, costUsd: t.costUsd, error: t.error?.message ?? null,
    })),
    wallMs: g.metrics.wallMs,
    sequentialMs: g.metrics.sequentialMs,
    criticalPathMs: g.metrics.criticalPath.ms,
    criticalPath: g.metrics.criticalPath.taskIds,
    answer: g.answer,
    synthesisModel: g.synthesisModel,
    totalCostUsd: g.metrics.totalCostUsd,
    error: g.error,
  };
}

function readPlan(file: string): { request: string; plan: unknown } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new SwitchboardError('not_found', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SwitchboardError('invalid_input', `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}). Write a plan with: plan "<request>" --json > ${file}`);
  }
  const o = (json ?? {}) as { request?: unknown; goal?: unknown };
  const request = typeof o.request === 'string' && o.request.trim() ? o.request : typeof o.goal === 'string' && o.goal.trim() ? o.goal : 'Hand-written plan';
  return { request, plan: json };
}

/** `run-plan <plan.json>`: runs a (hand-written or `plan --json`) task graph; Ctrl-C cancels. */
export const runPlanCommand: Command = {
  name: 'run-plan',
  usage: 'run-plan <plan.json> [--synthesis-model <provider/model>] [--workspace <dir> [--allow-commands] [--allow-dirty]] [--json]',
  summary: 'Run a plan: tasks in parallel by their dependencies, each routed to a cheap model; then the final answer.',
  options: { 'synthesis-model': { type: 'string' }, json: { type: 'boolean' }, workspace: { type: 'string' }, 'allow-commands': { type: 'boolean' }, 'allow-dirty': { type: 'boolean' } },
  maxPositionals: 1,
  async run({ positionals, values }, ctx) {
    const [file, ...extra] = positionals;
    if (!file || extra.length) throw new UsageError('run-plan needs one plan file, e.g. run-plan plan.json');
    const { request, plan } = readPlan(file);
    const json = values.json === true;
    const app = ctx.app();
    const service = app.services.tasks;
    const created = await app.call('tasks.create', { request, plan, ...(typeof values['synthesis-model'] === 'string' ? { synthesisModel: values['synthesis-model'] } : {}) });
    const err = (line: string) => ctx.io.stderr.write(`${line}\n`);
    const said = new Map<string, string>();
    let streamed = false;
    const unsubscribe = app.events.subscribe((e) => {
      if (json) return;
      if (e.event === 'tasks.updated' && e.payload.graph.id === created.id) {
        for (const t of e.payload.graph.tasks) {
          const state = `${t.status}:${t.model ?? ''}`;
          if (said.get(t.id) === state || t.status === 'pending') continue;
          said.set(t.id, state);
          if (t.status === 'running') err(`▶ ${t.id} ${t.title} — on ${t.model}`);
          else if (t.status === 'done') err(`✓ ${t.id} in ${formatMs(t.durationMs)} on ${t.model} (${formatUsd(t.costUsd)})`);
          else if (t.status === 'failed') err(`✗ ${t.id} failed: ${t.error?.message ?? 'unknown error'}`);
          else if (t.status === 'blocked') err(`· ${t.id} blocked`);
        }
      } else if (e.event === 'tasks.delta' && e.payload.graphId === created.id && e.payload.taskId === null) {
        if (!streamed) err('Answer:');
        ctx.io.stdout.write(e.payload.text);
        streamed = true;
      }
    });
    const onAbort = () => service.cancel(created.id);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const startedAt = Date.now();
      // --workspace: the plan's `code` tasks edit that repository and prove their edits (issue #12).
      const workspace = typeof values.workspace === 'string' ? { root: values.workspace, allowCommands: values['allow-commands'] === true, allowDirty: values['allow-dirty'] === true } : undefined;
      if (workspace) service.run(created.id, { workspace });
      else await app.call('tasks.run', { graphId: created.id });
      if (ctx.signal.aborted) service.cancel(created.id);
      await service.wait(created.id);
      const graph = service.view(created.id);
      if (graph.status === 'cancelled') {
        err(`${streamed ? '\n' : ''}Cancelled the task graph.`);
        return 130;
      }
      if (json) writeJson(ctx.io, runPlanJson(graph, startedAt));
      if (graph.status === 'failed') throw new SwitchboardError(graph.error?.code ?? 'unavailable', graph.error?.message ?? 'The task graph failed.');
      if (!json) {
        if (!streamed) ctx.io.stdout.write(graph.answer ?? '');
        if (!(graph.answer ?? '').endsWith('\n')) ctx.io.stdout.write('\n');
        const m = graph.metrics;
        const speedup = m.speedup ? ` (×${m.speedup.toFixed(1)} from parallelism)` : '';
        err(`[${graph.tasks.length} tasks · wall ${formatMs(m.wallMs)} vs sequential ${formatMs(m.sequentialMs)}${speedup} · critical path ${m.criticalPath.taskIds.join(' → ')} ${formatMs(m.criticalPath.ms)} · ${formatUsd(m.totalCostUsd)}]`);
      }
      return 0;
    } finally {
      unsubscribe();
      ctx.signal.removeEventListener('abort', onAbort);
    }
  },
};
