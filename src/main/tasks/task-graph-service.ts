import type { CostEstimate, TaskGraphSummary, TaskGraphView } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { DEFAULT_POOL_TIMEOUTS_MS } from '../council';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../logger';
import type { ParallelModels } from '../answer';
import type { RoutingServices } from '../router';
import type { Db } from '../store';
import type { CodingService } from '../coding';
import { codeTaskRunner, type GraphWorkspace } from './code-tasks';
import { TASK_TIMEOUT_MS, TaskExecutor } from './executor';
import { estimateGraph } from './graph-estimate';
import { graphMetrics } from './metrics';
import type { PlannedTask } from './plan-schema';
import { planTasks } from './planner';
import { TaskGraphRepo } from './task-graph-repo';
import type { TaskEvent, TaskGraph } from './types';
import { parsePlan, validatePlan } from './validate-plan';
import { TaskRoutes, routingMessages } from './task-routes';

/** The longest per-attempt bound of the executor (a `complex` task, seed 001's reasoning pool). */
const LONGEST_TASK_MS = Math.max(...Object.values(TASK_TIMEOUT_MS));

export interface TaskGraphServiceDeps {
  db: Db;
  events: EventBus;
  models: ParallelModels;
  routing: RoutingServices;
  logger: Logger;
  /** Runs `code` tasks on a graph's workspace (issue #12); without it they are answered as text. */
  coding?: CodingService;
}

interface ActiveGraph {
  executor: TaskExecutor;
  startedAt: number;
  done: Promise<TaskGraph | null>;
}

/**
 * Task graphs for the app (seed 003's planning–execution separation): the strongest model plans,
 * each task is routed on its own by the router (cheap executors), runs in the background with
 * progress on the event bus, and a graph cut by a restart resumes when the app starts again.
 */
export class TaskGraphService {
  readonly repo: TaskGraphRepo;
  private readonly routes = new TaskRoutes();
  private readonly active = new Map<string, ActiveGraph>();
  private readonly plans = new Map<string, AbortController>();
  private loaded: ReadonlySet<string> = new Set();
  private version = 0;
  private disposed = false;

  constructor(private readonly d: TaskGraphServiceDeps) {
    this.repo = new TaskGraphRepo(d.db);
  }

  options(): Promise<{ model: string | null; reason: string }> {
    return this.d.models.strongest();
  }

  /** Graphs a previous process left running (a crash, or a quit mid-run): call once at startup. */
  resumeInterrupted(): string[] {
    const ids = this.repo.interrupted();
    for (const id of ids) {
      this.d.logger.info('resuming a task graph interrupted by the last shutdown', { graphId: id });
      this.start(id, (executor) => executor.resume(id));
    }
    return ids;
  }

  async plan(input: { request: string; model?: string; planId?: string }, signal?: AbortSignal) {
    const model = input.model ?? (await this.requireStrongest());
    const refusal = this.d.models.estimate.paidRefusal([model]);
    if (refusal) throw new SwitchboardError('budget_exceeded', `Cannot plan: ${refusal}`, { retryable: false });
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (input.planId) this.plans.set(input.planId, controller);
    try {
      const r = await planTasks({
        request: input.request, model, runner: this.d.models.runner('high', DEFAULT_POOL_TIMEOUTS_MS.high), signal: controller.signal, costOf: this.d.models.costOf,
      });
      return { plan: r.plan, model: r.model, attempts: r.attempts, costUsd: r.costUsd };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (input.planId) this.plans.delete(input.planId);
    }
  }

  cancelPlan(planId: string): boolean {
    const controller = this.plans.get(planId);
    controller?.abort();
    return !!controller;
  }

  validate(plan: unknown): { ok: boolean; errors: string[] } {
    const result = validatePlan(plan);
    return result.ok ? { ok: true, errors: [] } : result;
  }

  async create(input: { request: string; plan: unknown; plannerModel?: string | null; planningCostUsd?: number | null; synthesisModel?: string }): Promise<TaskGraphView> {
    const plan = parsePlan(input.plan);
    const synthesisModel = input.synthesisModel ?? input.plannerModel ?? (await this.requireStrongest());
    const graph = this.repo.create({ plan, request: input.request, synthesisModel, plannerModel: input.plannerModel ?? null, planningCostUsd: input.planningCostUsd ?? null });
    return this.publish(graph.id);
  }

  /** What running the graph's unfinished tasks and its synthesis (by `synthesisModel`, if given) would cost now. */
  estimate(graphId: string, options: { synthesisModel?: string } = {}): Promise<CostEstimate> {
    const graph = this.repo.require(graphId);
    return estimateGraph(this.d.models.estimate, options.synthesisModel ? { ...graph, synthesisModel: options.synthesisModel } : graph);
  }

  /**
   * Runs (or continues) a graph. At the budget's stop threshold a graph whose answer a paid model
   * would write is refused before anything runs, saying so; `synthesisModel` picks another writer.
   */
  run(graphId: string, options: { synthesisModel?: string; workspace?: GraphWorkspace } = {}): TaskGraphView {
    this.requireIdle(graphId, 'This task graph is already running.');
    // Checked before anything is written: a refused run leaves the graph as it was.
    this.refuseAtStop(graphId, options.synthesisModel);
    if (options.synthesisModel) this.repo.updateGraph(graphId, { synthesisModel: options.synthesisModel });
    this.start(graphId, (executor) => executor.run(graphId), options.workspace);
    return this.view(graphId);
  }

  /** Re-runs a task and everything downstream: on `model`, one step up (`higher`), or routed afresh. */
  async rerun(graphId: string, taskId: string, options: { model?: string; higher?: boolean; synthesisModel?: string } = {}): Promise<TaskGraphView> {
    this.requireIdle(graphId, 'Stop the graph before re-running one of its tasks.');
    const task = this.repo.require(graphId).tasks.find((t) => t.id === taskId);
    if (!task) throw new SwitchboardError('not_found', `The graph has no task "${taskId}".`);
    let model = options.model;
    let why = model ? `You re-ran this task on ${model}.` : null;
    if (!model && options.higher) {
      const current = task.model ?? this.routes.get(graphId, taskId)?.model ?? null;
      const next = current ? this.routes.escalation(graphId, taskId, current) : null;
      const strongest = next ? null : await this.d.models.strongest();
      model = next ?? (strongest?.model && strongest.model !== current ? strongest.model : undefined);
      if (!model) throw new SwitchboardError('unavailable', `There is no stronger model available than ${current ?? 'the one this task used'}. Add a cloud key in Settings → Providers, or pick a model.`);
      why = next ? `Re-run one step up the router's chain: ${current} → ${next}.` : `Re-run on the strongest model available: ${model}.`;
    }
    this.refuseAtStop(graphId, options.synthesisModel, model ? [model] : []);
    if (options.synthesisModel) this.repo.updateGraph(graphId, { synthesisModel: options.synthesisModel });
    if (model) {
      const check = await this.d.routing.router.preview(routingMessages(task), { model });
      if (check.model === null) throw new SwitchboardError(check.refusal?.code ?? 'unavailable', check.refusal?.message ?? `${model} cannot run now.`);
      this.routes.override(graphId, taskId, { model, tier: this.d.models.tierOf(model), reasons: [why as string], chain: [model], estimatedCostUsd: check.estimatedCostUsd });
    }
    this.start(graphId, (executor) => executor.rerun(graphId, taskId, { model }));
    return this.view(graphId);
  }

  cancel(graphId: string): boolean {
    return this.active.get(graphId)?.executor.cancel(graphId) ?? false;
  }

  wait(graphId: string): Promise<TaskGraph | null> {
    return this.active.get(graphId)?.done ?? Promise.resolve(this.repo.get(graphId));
  }

  list(limit = 50): TaskGraphSummary[] {
    return this.repo.list(limit).map((g) => ({ ...g, running: this.active.has(g.id) }));
  }

  /** The graph; tasks routed before a restart get their decision re-evaluated for the "why" panel. */
  async get(graphId: string): Promise<TaskGraphView> {
    const graph = this.repo.require(graphId);
    const missing = graph.tasks.filter((t) => t.model && !this.routes.get(graphId, t.id));
    if (missing.length) {
      for (const t of missing) {
        const decision = await this.d.routing.router.preview(routingMessages(t), 'auto');
        if (decision.model) this.routes.fromDecision(graphId, t.id, decision, 're-evaluated');
      }
    }
    return this.view(graphId);
  }

  delete(graphId: string): boolean {
    this.requireIdle(graphId, 'Stop the graph before deleting it.');
    this.routes.forget(graphId);
    return this.repo.delete(graphId);
  }

  view(graphId: string): TaskGraphView {
    return this.toView(this.repo.require(graphId));
  }

  /** Stops every graph and waits; graphs stopped by the shutdown are left to resume at the next start. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const controller of this.plans.values()) controller.abort();
    const running = [...this.active.entries()];
    for (const [id, a] of running) a.executor.cancel(id);
    await Promise.all(running.map(([, a]) => a.done));
    for (const [id] of running) {
      if (this.repo.get(id)?.status === 'cancelled') this.repo.updateGraph(id, { status: 'running', error: null, finishedAt: null });
    }
  }

  private toView(graph: TaskGraph): TaskGraphView {
    return {
      ...graph,
      tasks: graph.tasks.map((t) => ({ ...t, tier: t.model ? this.d.models.tierOf(t.model) : null, route: this.routes.get(graph.id, t.id) })),
      metrics: graphMetrics(graph),
      running: this.active.has(graph.id),
      runStartedAt: this.active.get(graph.id)?.startedAt ?? null,
      version: ++this.version,
    };
  }

  private publish(graphId: string): TaskGraphView {
    const view = this.view(graphId);
    this.d.events.emit('tasks.updated', { graph: view });
    return view;
  }

  /** Issue #10: at the stop threshold nothing starts that needs a paid call (the final answer's writer included). */
  private refuseAtStop(graphId: string, synthesisModel?: string, models: readonly string[] = []): void {
    const graph = this.repo.require(graphId);
    // Tasks pinned to a model (a re-run on a chosen model) that have not finished run on it, not routed.
    const pinned = graph.tasks.filter((t) => t.status !== 'done' && t.modelOverride).map((t) => t.modelOverride as string);
    const refusal = this.d.models.estimate.paidRefusal([...models, ...pinned, synthesisModel ?? graph.synthesisModel]);
    if (refusal) throw new SwitchboardError('budget_exceeded', `Cannot run the task graph: ${refusal}`, { retryable: false, details: { graphId } });
  }

  private requireIdle(graphId: string, message: string): void {
    this.repo.require(graphId);
    if (this.active.has(graphId)) throw new SwitchboardError('conflict', message);
    if (this.disposed) throw new SwitchboardError('unavailable', 'Switchboard is shutting down; run the graph again after it restarts.');
  }

  private async requireStrongest(): Promise<string> {
    const { model, reason } = await this.d.models.strongest();
    if (!model) throw new SwitchboardError('unavailable', reason);
    return model;
  }

  /** One executor per run, so routing and escalation know the graph. */
  private start(graphId: string, go: (executor: TaskExecutor) => Promise<TaskGraph>, workspace?: GraphWorkspace): void {
    if (workspace && !this.d.coding) throw new SwitchboardError('unavailable', 'Code tasks on a workspace need the coding service.');
    const executor = new TaskExecutor({
      repo: this.repo,
      runner: this.d.models.runner('high', LONGEST_TASK_MS),
      routeTask: (task) => this.route(graphId, task),
      escalate: (task, _attempt, lastModel) => this.routes.escalation(graphId, task.id, lastModel),
      costOf: this.d.models.costOf,
      taskTimeoutMs: (task, model) => this.d.models.withColdStart(model, TASK_TIMEOUT_MS[task.complexity], this.loaded),
      onEvent: (event) => this.onEvent(event),
      logger: this.d.logger,
      runCodeTask: workspace && this.d.coding ? codeTaskRunner(this.d.coding, workspace) : undefined,
    });
    const active: ActiveGraph = { executor, startedAt: Date.now(), done: Promise.resolve(null) };
    this.active.set(graphId, active);
    active.done = go(executor)
      .catch((error: unknown) => {
        this.d.logger.error('a task graph stopped with an error', { graphId, error });
        return null;
      })
      .finally(() => {
        this.active.delete(graphId);
        try {
          if (!this.disposed) this.publish(graphId);
        } catch (error) {
          this.d.logger.warn('could not publish a finished task graph', { graphId, error });
        }
      });
    this.publish(graphId);
  }

  private async route(graphId: string, task: PlannedTask): Promise<string> {
    this.loaded = await this.d.models.loadedLocal();
    return this.routes.fromDecision(graphId, task.id, await this.d.routing.router.preview(routingMessages(task), 'auto'), 'router');
  }

  private onEvent(e: TaskEvent): void {
    if (e.type === 'task-delta') this.d.events.emit('tasks.delta', { graphId: e.graphId, taskId: e.taskId, attempt: e.attempt, text: e.text });
    else if (e.type === 'synthesis-delta') this.d.events.emit('tasks.delta', { graphId: e.graphId, taskId: null, attempt: 1, text: e.text });
    else {
      if (e.type === 'task-failed' && !e.final) this.routes.noteRetry(e.graphId, e.taskId, e);
      this.publish(e.graphId);
    }
  }
}
