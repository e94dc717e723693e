import { SwitchboardError, serializeError, type SerializedError } from '../../shared/errors';
import { DEFAULT_POOL_TIMEOUTS_MS } from '../council';
import { silentLogger, type Logger } from '../logger';
import { addUsage, callOnce, costFor, startBounded, type CallProgress, type CostOf, type ModelRunner } from '../runner';
import { descendantsOf, downstreamWeight } from './graph-order';
import { graphMetrics } from './metrics';
import type { PlannedTask, TaskComplexity } from './plan-schema';
import type { RunCodeTask } from './code-tasks';
import { executeTask, type Escalate, type TaskOutcome } from './run-task';
import { synthesisMessages, taskMessages } from './task-prompt';
import type { TaskGraphRepo } from './task-graph-repo';
import type { TaskEvent, TaskGraph, TaskState } from './types';

/** Seed 002's ParallelExecutor default. */
export const DEFAULT_MAX_CONCURRENT = 4;

/** A task's per-attempt budget follows its complexity onto seed 001's pools (30 / 90 / 180 / 600 s). */
export const TASK_TIMEOUT_MS: Readonly<Record<TaskComplexity, number>> = {
  trivial: DEFAULT_POOL_TIMEOUTS_MS.quick,
  simple: DEFAULT_POOL_TIMEOUTS_MS.balanced,
  medium: DEFAULT_POOL_TIMEOUTS_MS.high,
  complex: DEFAULT_POOL_TIMEOUTS_MS.reasoning,
};

/** Rough relative effort, to start first the tasks with the most work waiting behind them. */
const EFFORT: Readonly<Record<TaskComplexity, number>> = { trivial: 1, simple: 2, medium: 4, complex: 8 };

export interface TaskExecutorOptions {
  repo: TaskGraphRepo;
  runner: ModelRunner;
  /** Picks each task's executor model (planning–execution separation: cheap executors, seed 003). */
  routeTask: (task: PlannedTask) => string | Promise<string>;
  /** After a failed retry: a stronger model, or null to give up. Default: give up. */
  escalate?: Escalate;
  maxConcurrent?: number;
  costOf?: CostOf;
  onEvent?: (event: TaskEvent) => void;
  /** Per attempt; default by complexity (TASK_TIMEOUT_MS). Add a local model's cold-start grace here. */
  taskTimeoutMs?: (task: PlannedTask, model: string) => number;
  synthesisTimeoutMs?: number;
  now?: () => number;
  logger?: Logger;
  /** Runs a `code` task as the coding loop on a workspace (issue #12); absent, code tasks are answered like any other. */
  runCodeTask?: RunCodeTask;
}

/**
 * Runs task graphs: ready tasks in parallel up to `maxConcurrent`, each routed on its own, each
 * output passed to its dependents; a failure blocks only its dependents. State lives in SQLite, so
 * `run` continues whatever a crash, a cancel or a failure left (seed 002's ParallelExecutor).
 */
export class TaskExecutor {
  private readonly active = new Map<string, AbortController>();
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly maxConcurrent: number;

  constructor(private readonly o: TaskExecutorOptions) {
    this.now = o.now ?? Date.now;
    this.logger = o.logger ?? silentLogger;
    this.maxConcurrent = o.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
    if (!(this.maxConcurrent >= 1)) throw new RangeError('maxConcurrent must be at least 1');
  }

  isRunning(graphId: string): boolean {
    return this.active.has(graphId);
  }

  /** Stops a running graph: every running task's request is aborted. False when it was not running. */
  cancel(graphId: string): boolean {
    const controller = this.active.get(graphId);
    controller?.abort();
    return !!controller;
  }

  /** Runs a graph to the end; on a graph left by a crash or a cancel, continues where it stopped. */
  async run(graphId: string, options: { signal?: AbortSignal } = {}): Promise<TaskGraph> {
    if (this.active.has(graphId)) throw new SwitchboardError('conflict', 'This task graph is already running.');
    const graph = this.o.repo.require(graphId);
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    if (options.signal?.aborted) controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    this.active.set(graphId, controller);
    try {
      return await this.drive(graph, controller.signal);
    } finally {
      // If drive threw (the database went away), stop whatever is still running.
      controller.abort();
      options.signal?.removeEventListener('abort', onAbort);
      this.active.delete(graphId);
    }
  }

  /** After a restart: tasks left `running` become `pending` again and the graph continues. */
  resume(graphId: string, options: { signal?: AbortSignal } = {}): Promise<TaskGraph> {
    return this.run(graphId, options);
  }

  /** Re-runs one task (optionally on another model, e.g. a higher tier) and everything downstream of it. */
  async rerun(graphId: string, taskId: string, options: { model?: string; signal?: AbortSignal } = {}): Promise<TaskGraph> {
    if (this.active.has(graphId)) throw new SwitchboardError('conflict', 'Stop the graph before re-running one of its tasks.');
    const graph = this.o.repo.require(graphId);
    if (!graph.tasks.some((t) => t.id === taskId)) throw new SwitchboardError('not_found', `The graph has no task "${taskId}".`);
    const reset = [taskId, ...descendantsOf(graph.tasks, taskId)];
    this.o.repo.transaction(() => {
      for (const id of reset) {
        this.o.repo.updateTask(graphId, id, { status: 'pending', output: null, error: null, startedAt: null, finishedAt: null, durationMs: null, attempts: 0 });
      }
      this.o.repo.updateTask(graphId, taskId, { modelOverride: options.model ?? null });
      this.o.repo.updateGraph(graphId, { status: 'pending', answer: null, error: null, finishedAt: null });
    });
    return this.run(graphId, { signal: options.signal });
  }

  private emit(event: TaskEvent): void {
    try {
      this.o.onEvent?.(event);
    } catch (error) {
      this.logger.warn('a task event listener threw', { error, type: event.type });
    }
  }

  private async drive(graph: TaskGraph, signal: AbortSignal): Promise<TaskGraph> {
    const { repo } = this.o;
    const started = this.now();
    const tasks = new Map(graph.tasks.map((t) => [t.id, t]));
    const set = (task: TaskState, patch: Partial<TaskState>): void => {
      Object.assign(task, patch);
      repo.updateTask(graph.id, task.id, patch);
    };
    // Whatever a crash left running, a cancel stopped or a failure blocked is to be done again.
    repo.transaction(() => {
      for (const t of tasks.values()) if (t.status === 'running' || t.status === 'cancelled' || t.status === 'blocked') set(t, { status: 'pending', error: null });
      repo.updateGraph(graph.id, { status: 'running', error: null, finishedAt: null });
    });
    const priority = downstreamWeight(graph.tasks, (t) => EFFORT[t.complexity]);
    const running = new Map<string, Promise<TaskOutcome>>();

    const blockDownstream = (failed: TaskState): string[] => {
      const blocked = [...descendantsOf(graph.tasks, failed.id)].filter((id) => tasks.get(id)?.status === 'pending');
      for (const id of blocked) set(tasks.get(id) as TaskState, { status: 'blocked', error: { code: 'cancelled', message: `Blocked: "${failed.id}" failed.`, retryable: true } });
      return blocked;
    };
    const fail = (task: TaskState, model: string | null, attempt: number, error: SerializedError, patch: Partial<TaskState> = {}): void => {
      set(task, { ...patch, status: 'failed', error });
      this.emit({ type: 'task-failed', graphId: graph.id, taskId: task.id, model, attempt, error, final: true, nextModel: null, blocked: blockDownstream(task) });
    };
    // Tasks that failed in an earlier run still block theirs.
    for (const t of tasks.values()) if (t.status === 'failed') blockDownstream(t);

    while (!signal.aborted) {
      const ready = [...tasks.values()]
        .filter((t) => t.status === 'pending' && !running.has(t.id) && t.dependsOn.every((d) => tasks.get(d)?.status === 'done'))
        .sort((a, b) => (priority.get(b.id) ?? 0) - (priority.get(a.id) ?? 0) || a.seq - b.seq);
      for (const task of ready) {
        if (running.size >= this.maxConcurrent || signal.aborted) break;
        let model: string;
        try {
          model = task.modelOverride ?? (await this.o.routeTask(task));
        } catch (error) {
          fail(task, null, 0, serializeError(error));
          continue;
        }
        const previousCost = task.costUsd;
        const previousUsage = task.usage;
        set(task, { status: 'running', model, startedAt: this.now(), finishedAt: null, durationMs: null, error: null });
        const dependencies = task.dependsOn.map((d) => tasks.get(d) as TaskState);
        const started = task.kind === 'code' && this.o.runCodeTask
          ? this.o.runCodeTask({ graphId: graph.id, task, model, dependencies, request: graph.request, signal, now: this.now })
          : executeTask({
              graphId: graph.id, task, messages: taskMessages(graph, task, dependencies), model, runner: this.o.runner,
              escalate: this.o.escalate ?? (() => null), timeoutMs: (m) => this.o.taskTimeoutMs?.(task, m) ?? TASK_TIMEOUT_MS[task.complexity],
              signal, costOf: this.o.costOf, now: this.now, emit: (e) => this.emit(e),
            });
        running.set(task.id, started.then((outcome) => ({ ...outcome, costUsd: sumKnown(previousCost, outcome.costUsd), usage: addUsage(previousUsage, outcome.usage) })));
      }
      if (running.size === 0) break;
      const outcome = await Promise.race(running.values());
      running.delete(outcome.taskId);
      this.apply(tasks.get(outcome.taskId) as TaskState, outcome, set, fail);
    }

    // Cancelled: the running tasks' requests are aborted already; record how each ended.
    for (const outcome of await Promise.all(running.values())) this.apply(tasks.get(outcome.taskId) as TaskState, outcome, set, fail);
    const wallMs = graph.wallMs + (this.now() - started);
    if (signal.aborted) {
      repo.transaction(() => {
        for (const t of tasks.values()) if (t.status === 'pending' || t.status === 'running') set(t, { status: 'cancelled' });
      });
      return this.finish(graph.id, { status: 'cancelled', wallMs, error: { code: 'cancelled', message: 'The task graph was stopped.', retryable: true } });
    }
    const failed = [...tasks.values()].filter((t) => t.status === 'failed');
    if (failed.length) {
      const blocked = [...tasks.values()].filter((t) => t.status === 'blocked').map((t) => t.id);
      const message =
        `${failed.map((t) => `"${t.id}" failed (${t.error?.message ?? 'unknown error'})`).join('; ')}.` +
        (blocked.length ? ` Blocked by it: ${blocked.join(', ')}.` : '') +
        ' Re-run a failed task, on a stronger model if need be, to continue.';
      return this.finish(graph.id, { status: 'failed', wallMs, error: { code: 'unavailable', message, retryable: true } });
    }
    repo.updateGraph(graph.id, { wallMs });
    return this.synthesise(repo.require(graph.id), signal);
  }

  private apply(task: TaskState, outcome: TaskOutcome, set: (t: TaskState, p: Partial<TaskState>) => void, fail: (t: TaskState, m: string | null, a: number, e: SerializedError, p?: Partial<TaskState>) => void): void {
    const common = { model: outcome.model, attempts: outcome.attempts, finishedAt: outcome.finishedAt, durationMs: outcome.finishedAt - outcome.startedAt, usage: outcome.usage, costUsd: outcome.costUsd };
    if (outcome.status === 'done') {
      set(task, { ...common, status: 'done', output: outcome.output, error: null });
      this.emit({ type: 'task-done', graphId: task.graphId, taskId: task.id, model: outcome.model, attempts: outcome.attempts, durationMs: common.durationMs, costUsd: outcome.costUsd });
    } else if (outcome.status === 'failed') fail(task, outcome.model, outcome.attempts, outcome.error as SerializedError, common);
    else set(task, { ...common, status: 'cancelled', error: outcome.error });
  }

  /** The final answer from every task's output, streamed (the orchestrator synthesises, seed 003). */
  private async synthesise(graph: TaskGraph, signal: AbortSignal): Promise<TaskGraph> {
    const progress: CallProgress = { text: '', firstTokenAt: null };
    const model = graph.synthesisModel;
    const b = await startBounded({
      timeoutMs: this.o.synthesisTimeoutMs ?? DEFAULT_POOL_TIMEOUTS_MS.high,
      signal,
      now: this.now,
      run: (s) =>
        callOnce({
          runner: this.o.runner, model, messages: synthesisMessages(graph), signal: s, purpose: 'tasks.synthesis', progress, now: this.now,
          onDelta: (text) => this.emit({ type: 'synthesis-delta', graphId: graph.id, model, text }),
        }),
    }).promise;
    const synthesisMs = b.endedAt - b.startedAt;
    const synthesisCostUsd = costFor(this.o.costOf, b.value?.servedBy ?? model, b.value?.usage ?? null);
    const base = { wallMs: graph.wallMs, synthesisMs, synthesisCostUsd };
    if (b.status === 'cancelled') return this.finish(graph.id, { ...base, status: 'cancelled', error: { code: 'cancelled', message: 'The task graph was stopped before its answer was written.', retryable: true } });
    const reply = b.value;
    const error: SerializedError | null =
      b.status === 'timeout' ? { code: 'timeout', message: `${model} did not finish the answer in time.`, retryable: true }
      : reply?.error ? serializeError(reply.error)
      : !reply?.text.trim() ? { code: 'internal', message: `${model} wrote an empty answer.`, retryable: true }
      : null;
    if (error) {
      return this.finish(graph.id, { ...base, status: 'failed', error: { ...error, message: `Every task finished, but the final answer could not be written: ${error.message} Run the graph again to retry it.` } });
    }
    return this.finish(graph.id, { ...base, status: 'done', answer: reply?.text ?? '', error: null });
  }

  private finish(graphId: string, patch: Parameters<TaskGraphRepo['updateGraph']>[1]): TaskGraph {
    this.o.repo.updateGraph(graphId, { ...patch, finishedAt: this.now() });
    const graph = this.o.repo.require(graphId);
    this.emit({ type: 'graph-done', graphId, status: graph.status, error: graph.error, metrics: graphMetrics(graph) });
    return graph;
  }
}

function sumKnown(a: number | null, b: number | null): number | null {
  return a === null && b === null ? null : (a ?? 0) + (b ?? 0);
}

