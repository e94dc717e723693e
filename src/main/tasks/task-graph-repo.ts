import { randomUUID } from 'node:crypto';
import { SwitchboardError, type SerializedError } from '../../shared/errors';
import type { Usage } from '../runner';
import type { Db } from '../store';
import type { Plan } from './plan-schema';
import type { GraphStatus, TaskGraph, TaskState, TaskStatus } from './types';

interface GraphRow {
  id: string; request: string; goal: string; status: GraphStatus; planner_model: string | null; planning_cost_usd: number | null;
  synthesis_model: string; answer: string | null; synthesis_ms: number | null; synthesis_cost_usd: number | null; error_json: string | null;
  created_at: number; updated_at: number; finished_at: number | null; wall_ms: number;
}
interface TaskRow {
  graph_id: string; id: string; seq: number; title: string; instructions: string; kind: TaskState['kind']; complexity: TaskState['complexity'];
  depends_on_json: string; status: TaskStatus; model: string | null; model_override: string | null; attempts: number; output: string | null;
  error_json: string | null; started_at: number | null; finished_at: number | null; duration_ms: number | null; input_tokens: number | null;
  output_tokens: number | null; cost_usd: number | null;
}

export interface NewGraph {
  plan: Plan;
  request: string;
  /** Writes the final answer; usually the planner (the orchestrator synthesises, seed 003). */
  synthesisModel: string;
  plannerModel?: string | null;
  planningCostUsd?: number | null;
  conversationId?: string | null;
}

export type TaskPatch = Partial<Pick<TaskState, 'status' | 'model' | 'modelOverride' | 'attempts' | 'output' | 'error' | 'startedAt' | 'finishedAt' | 'durationMs' | 'usage' | 'costUsd'>>;
export type GraphPatch = Partial<Pick<TaskGraph, 'status' | 'answer' | 'synthesisMs' | 'synthesisCostUsd' | 'error' | 'finishedAt' | 'wallMs' | 'synthesisModel'>>;

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
const parseError = (text: string | null): SerializedError | null => (text ? (JSON.parse(text) as SerializedError) : null);

function toTask(r: TaskRow): TaskState {
  return {
    graphId: r.graph_id, id: r.id, seq: r.seq, title: r.title, instructions: r.instructions, kind: r.kind, complexity: r.complexity,
    dependsOn: JSON.parse(r.depends_on_json) as string[], status: r.status, model: r.model, modelOverride: r.model_override,
    attempts: r.attempts, output: r.output, error: parseError(r.error_json), startedAt: r.started_at, finishedAt: r.finished_at,
    durationMs: r.duration_ms,
    usage: r.input_tokens === null || r.output_tokens === null ? null : { inputTokens: r.input_tokens, outputTokens: r.output_tokens, estimated: false },
    costUsd: r.cost_usd,
  };
}

const TASK_COLUMNS: Record<keyof TaskPatch, (v: never) => Record<string, unknown>> = {
  status: (v: TaskStatus) => ({ status: v }),
  model: (v: string | null) => ({ model: v }),
  modelOverride: (v: string | null) => ({ model_override: v }),
  attempts: (v: number) => ({ attempts: v }),
  output: (v: string | null) => ({ output: v }),
  error: (v: SerializedError | null) => ({ error_json: json(v) }),
  startedAt: (v: number | null) => ({ started_at: v }),
  finishedAt: (v: number | null) => ({ finished_at: v }),
  durationMs: (v: number | null) => ({ duration_ms: v }),
  usage: (v: Usage | null) => ({ input_tokens: v?.inputTokens ?? null, output_tokens: v?.outputTokens ?? null }),
  costUsd: (v: number | null) => ({ cost_usd: v }),
};
const GRAPH_COLUMNS: Record<keyof GraphPatch, string> = {
  status: 'status', answer: 'answer', synthesisMs: 'synthesis_ms', synthesisCostUsd: 'synthesis_cost_usd', error: 'error_json',
  finishedAt: 'finished_at', wallMs: 'wall_ms', synthesisModel: 'synthesis_model',
};

/** Task graphs and their execution state in SQLite (migration 006): what a restart resumes from. */
export class TaskGraphRepo {
  private readonly stmts;

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {
    this.stmts = {
      insertGraph: db.prepare(
        `INSERT INTO task_graphs (id, conversation_id, request, goal, status, planner_model, planning_cost_usd, synthesis_model, created_at, updated_at)
         VALUES (@id, @conversationId, @request, @goal, 'pending', @plannerModel, @planningCostUsd, @synthesisModel, @now, @now)`,
      ),
      insertTask: db.prepare(
        `INSERT INTO tasks (graph_id, id, seq, title, instructions, kind, complexity, depends_on_json, status)
         VALUES (@graphId, @id, @seq, @title, @instructions, @kind, @complexity, @dependsOnJson, 'pending')`,
      ),
      graph: db.prepare<[string], GraphRow>('SELECT * FROM task_graphs WHERE id = ?'),
      tasks: db.prepare<[string], TaskRow>('SELECT * FROM tasks WHERE graph_id = ? ORDER BY seq'),
      byStatus: db.prepare<[string], { id: string }>('SELECT id FROM task_graphs WHERE status = ? ORDER BY created_at'),
      list: db.prepare<[number], GraphRow>('SELECT * FROM task_graphs ORDER BY created_at DESC LIMIT ?'),
      deleteTasks: db.prepare('DELETE FROM tasks WHERE graph_id = ?'),
      setGoal: db.prepare('UPDATE task_graphs SET goal = ?, updated_at = ? WHERE id = ?'),
      delete: db.prepare('DELETE FROM task_graphs WHERE id = ?'),
    };
  }

  create(g: NewGraph): TaskGraph {
    const id = randomUUID();
    this.db.transaction(() => {
      this.stmts.insertGraph.run({
        id, conversationId: g.conversationId ?? null, request: g.request, goal: g.plan.goal, plannerModel: g.plannerModel ?? null,
        planningCostUsd: g.planningCostUsd ?? null, synthesisModel: g.synthesisModel, now: this.now(),
      });
      this.insertTasks(id, g.plan);
    })();
    return this.get(id) as TaskGraph;
  }

  /** A hand edit of a plan that has not started yet (validate it with parsePlan first). */
  replacePlan(graphId: string, plan: Plan): TaskGraph {
    const graph = this.require(graphId);
    if (graph.status !== 'pending' || graph.tasks.some((t) => t.status !== 'pending')) {
      throw new SwitchboardError('conflict', 'This plan has already started; re-run tasks instead of editing it.');
    }
    this.db.transaction(() => {
      this.stmts.deleteTasks.run(graphId);
      this.insertTasks(graphId, plan);
      this.stmts.setGoal.run(plan.goal, this.now(), graphId);
    })();
    return this.require(graphId);
  }

  private insertTasks(graphId: string, plan: Plan): void {
    plan.tasks.forEach((t, seq) =>
      this.stmts.insertTask.run({ graphId, id: t.id, seq, title: t.title, instructions: t.instructions, kind: t.kind, complexity: t.complexity, dependsOnJson: JSON.stringify(t.dependsOn) }),
    );
  }

  get(graphId: string): TaskGraph | null {
    const r = this.stmts.graph.get(graphId);
    if (!r) return null;
    return {
      id: r.id, request: r.request, goal: r.goal, status: r.status, plannerModel: r.planner_model, planningCostUsd: r.planning_cost_usd,
      synthesisModel: r.synthesis_model, answer: r.answer, synthesisMs: r.synthesis_ms, synthesisCostUsd: r.synthesis_cost_usd,
      error: parseError(r.error_json), createdAt: r.created_at, updatedAt: r.updated_at, finishedAt: r.finished_at, wallMs: r.wall_ms,
      tasks: this.stmts.tasks.all(graphId).map(toTask),
    };
  }

  require(graphId: string): TaskGraph {
    const graph = this.get(graphId);
    if (!graph) throw new SwitchboardError('not_found', `There is no task graph ${graphId}.`);
    return graph;
  }

  list(limit = 50): Array<Omit<TaskGraph, 'tasks'>> {
    return this.stmts.list.all(limit).map((r) => {
      const { tasks: _tasks, ...rest } = this.get(r.id) as TaskGraph;
      return rest;
    });
  }

  /** Graphs left `running` by a process that is gone (call at startup, before any executor runs). */
  interrupted(): string[] {
    return this.stmts.byStatus.all('running').map((r) => r.id);
  }

  updateTask(graphId: string, taskId: string, patch: TaskPatch): void {
    const columns: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) Object.assign(columns, TASK_COLUMNS[key as keyof TaskPatch](value as never));
    const names = Object.keys(columns);
    if (!names.length) return;
    this.db
      .prepare(`UPDATE tasks SET ${names.map((n) => `${n} = @${n}`).join(', ')} WHERE graph_id = @graphId AND id = @taskId`)
      .run({ ...columns, graphId, taskId });
  }

  updateGraph(graphId: string, patch: GraphPatch): void {
    const columns: Record<string, unknown> = { updated_at: this.now() };
    for (const [key, value] of Object.entries(patch)) columns[GRAPH_COLUMNS[key as keyof GraphPatch]] = key === 'error' ? json(value) : value;
    const names = Object.keys(columns);
    this.db.prepare(`UPDATE task_graphs SET ${names.map((n) => `${n} = @${n}`).join(', ')} WHERE id = @graphId`).run({ ...columns, graphId });
  }

  transaction(fn: () => void): void {
    this.db.transaction(fn)();
  }

  delete(graphId: string): boolean {
    return this.stmts.delete.run(graphId).changes > 0;
  }
}
