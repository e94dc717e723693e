import type { CodingService } from '../coding';
import type { TaskOutcome } from './run-task';
import type { TaskState } from './types';

/** The repository a graph's `code` tasks edit (issue #12, item 7). */
export interface GraphWorkspace {
  root: string;
  allowCommands?: boolean;
  allowDirty?: boolean;
}

export interface CodeTaskRun {
  graphId: string;
  task: TaskState;
  model: string;
  dependencies: readonly TaskState[];
  request: string;
  signal: AbortSignal;
  now: () => number;
}

export type RunCodeTask = (run: CodeTaskRun) => Promise<TaskOutcome>;

/** What a dependent task reads of a code task: what changed and that it was proven (the diff, trimmed). */
const MAX_OUTPUT_CHARS = 6_000;

/**
 * Seed 002's Pattern 2 ("fix the build errors, then continue"): a plan's `code` task is the coding
 * loop on the graph's workspace — edit blocks applied, validated, rolled back and escalated until
 * they pass — and its dependents start only after it passed. One code task edits the tree at a
 * time (two loops validating the same tree at once would judge each other's edits).
 */
export function codeTaskRunner(coding: CodingService, workspace: GraphWorkspace): RunCodeTask {
  let queue: Promise<unknown> = Promise.resolve();
  return (run) => {
    const next = queue.then(() => runOne(coding, workspace, run));
    queue = next.catch(() => undefined);
    return next;
  };
}

async function runOne(coding: CodingService, workspace: GraphWorkspace, run: CodeTaskRun): Promise<TaskOutcome> {
  const startedAt = run.now();
  const earlier = run.dependencies.map((d) => `Result of "${d.title}":\n${d.output ?? ''}`).join('\n\n');
  const task = `${run.task.title}\n\n${run.task.instructions}${earlier ? `\n\n${earlier}` : ''}\n\n(Part of: ${run.request})`;
  const base = { taskId: run.task.id, startedAt, usage: null };
  try {
    const { outcome } = await coding.run({ root: workspace.root, task, model: run.model, allowCommands: workspace.allowCommands, allowDirty: workspace.allowDirty, signal: run.signal });
    const last = outcome.attempts.at(-1);
    const model = last?.model ?? run.model;
    const common = { ...base, model, attempts: outcome.attempts.length, finishedAt: run.now(), costUsd: outcome.totalCostUsd };
    if (outcome.status === 'cancelled') return { ...common, status: 'cancelled', output: '', error: { code: 'cancelled', message: 'The task was stopped.', retryable: true } };
    if (outcome.status === 'failed') {
      const why = outcome.attempts.map((a) => `attempt ${a.attempt} on ${a.model}: ${a.error ?? 'failed'}`).join('; ');
      return { ...common, status: 'failed', output: '', error: { code: 'unavailable', message: `The edit did not pass validation (${why}); every file is as it was.`, retryable: true } };
    }
    const steps = last ? (['syntax', 'build', 'test', 'lint'] as const).map((s) => `${s} ${last.validation[s]}`).join(', ') : '';
    const diff = last?.diff ?? '';
    const output = `Edited ${outcome.filesChanged.join(', ')} in ${workspace.root}; validation passed (${steps}) on ${model} after ${outcome.attempts.length} attempt${outcome.attempts.length === 1 ? '' : 's'}.\n\n${diff.length > MAX_OUTPUT_CHARS ? `${diff.slice(0, MAX_OUTPUT_CHARS)}\n…` : diff}`;
    return { ...common, status: 'done', output, error: null };
  } catch (error) {
    return {
      ...base, model: run.model, attempts: 1, finishedAt: run.now(), costUsd: null, status: 'failed', output: '',
      error: { code: 'invalid_input', message: error instanceof Error ? error.message : String(error), retryable: false },
    };
  }
}
