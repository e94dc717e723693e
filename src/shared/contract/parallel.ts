import { z } from 'zod';
import { SerializedError } from '../errors';
import { call } from './define';
import {
  CostEstimate, CouncilLive, CouncilMemberStatus, CouncilModeName, CouncilPoolName, CouncilProgress, CouncilRun, CouncilRunSummary, CouncilStartInput, CouncilStatus,
  PlanShape, TaskGraphSummary, TaskGraphView,
} from './parallel-types';

export * from './parallel-types';

const Id = z.string().min(1).max(100);
const ModelId = z.string().min(3).max(300);

/** Seed 000's `llm-performance.json` entry (src/main/council/performance-log.ts). */
export const PerformanceEntryShape = z.object({
  task: z.string(),
  models: z.array(z.string()),
  timestamp: z.string(),
  latency_ms: z.record(z.string(), z.number()),
  votes: z.record(z.string(), z.string()),
  verdict: z.string().nullable(),
  mode: CouncilModeName,
  pool: CouncilPoolName,
  status: z.record(z.string(), CouncilMemberStatus),
  first_token_ms: z.record(z.string(), z.number()),
  stopped_after_ms: z.record(z.string(), z.number()),
  cost_usd: z.record(z.string(), z.number().nullable()),
  rankings: z.record(z.string(), z.number()),
  chairman: z.string().nullable(),
  wall_ms: z.number(),
  total_cost_usd: z.number().nullable(),
  run_status: CouncilStatus,
});

export const councilCalls = {
  /** The pools' per-model timeouts (seed 001: 30 / 90 / 180 / 600 s) for the form. */
  'council.options': call(z.object({}).strict(), z.object({ poolTimeoutsMs: z.record(CouncilPoolName, z.number()) })),
  /** Starts a run in the background; progress arrives as `council.progress`, the record as `council.finished`. */
  'council.start': call(CouncilStartInput, z.object({ runId: z.string(), live: CouncilLive })),
  /** What the run would cost (answers, reviews, synthesis) and whether the budget lets it start. */
  'council.estimate': call(CouncilStartInput, CostEstimate),
  'council.cancel': call(z.object({ runId: Id }).strict(), z.object({ cancelled: z.boolean() })),
  /** Runs in progress, and past runs newest first. */
  'council.list': call(
    z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
    z.object({ active: z.array(CouncilLive), runs: z.array(CouncilRunSummary) }),
  ),
  'council.get': call(z.object({ id: Id }).strict(), z.object({ live: CouncilLive.nullable(), record: CouncilRun.nullable() })),
  'council.delete': call(z.object({ id: Id }).strict(), z.object({ deleted: z.boolean() })),
  /** Past runs as `llm-performance.json` entries (seed 000). */
  'council.export': call(z.object({ since: z.number().optional() }).strict(), z.array(PerformanceEntryShape)),
};

export const councilEvents = {
  'council.started': z.object({ live: CouncilLive }),
  'council.progress': z.object({ event: CouncilProgress }),
  /** The run ended (completed, failed or cancelled) and was saved; `record` is null only if it could not start. */
  'council.finished': z.object({ runId: z.string(), record: CouncilRun.nullable(), error: SerializedError.nullable() }),
};

export const taskCalls = {
  /** The planning model the app would use (the strongest available), and why. */
  'tasks.options': call(z.object({}).strict(), z.object({ plannerModel: z.string().nullable(), reason: z.string() })),
  /** The planner turns a request into a plan; nothing is stored until `tasks.create`. `planId` lets `tasks.cancelPlan` stop it. */
  'tasks.plan': call(
    z.object({ request: z.string().trim().min(1, 'the request is empty').max(200_000), model: ModelId.optional(), planId: Id.optional() }).strict(),
    z.object({ plan: PlanShape, model: z.string(), attempts: z.number(), costUsd: z.number().nullable() }),
  ),
  'tasks.cancelPlan': call(z.object({ planId: Id }).strict(), z.object({ cancelled: z.boolean() })),
  /** Checks a hand-written or edited plan (schema, ids, dependencies, cycles, size) without storing it. */
  'tasks.validate': call(z.object({ plan: z.unknown() }).strict(), z.object({ ok: z.boolean(), errors: z.array(z.string()) })),
  /** Stores a plan as a graph (validated: an invalid plan fails with every problem listed). */
  'tasks.create': call(
    z
      .object({
        request: z.string().trim().min(1).max(200_000),
        plan: z.unknown(),
        plannerModel: ModelId.nullable().optional(),
        planningCostUsd: z.number().nullable().optional(),
        /** Who writes the final answer; default the planner, else the strongest available model. */
        synthesisModel: ModelId.optional(),
      })
      .strict(),
    TaskGraphView,
  ),
  /** Runs (or continues) a graph in the background; progress arrives as `tasks.updated` / `tasks.delta`. */
  /** `synthesisModel` changes which model writes the final answer (e.g. a local one when the budget stopped paid calls). */
  'tasks.run': call(z.object({ graphId: Id, synthesisModel: ModelId.optional() }).strict(), TaskGraphView),
  /** What running the graph's unfinished tasks and its synthesis would cost, and whether the budget lets it. */
  'tasks.estimate': call(z.object({ graphId: Id, synthesisModel: ModelId.optional() }).strict(), CostEstimate),
  'tasks.cancel': call(z.object({ graphId: Id }).strict(), z.object({ cancelled: z.boolean() })),
  /** Re-runs a task and everything after it: on `model`, one tier up (`higher`), or routed again. */
  'tasks.rerun': call(z.object({ graphId: Id, taskId: Id, model: ModelId.optional(), higher: z.boolean().optional(), synthesisModel: ModelId.optional() }).strict(), TaskGraphView),
  'tasks.list': call(z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(), z.array(TaskGraphSummary)),
  'tasks.get': call(z.object({ graphId: Id }).strict(), TaskGraphView),
  'tasks.delete': call(z.object({ graphId: Id }).strict(), z.object({ deleted: z.boolean() })),
};

export const taskEvents = {
  /** A graph or one of its tasks changed state: the whole graph as it stands. */
  'tasks.updated': z.object({ graph: TaskGraphView }),
  /** Streamed text of a task (`taskId`) or of the final answer (`taskId` null). */
  'tasks.delta': z.object({ graphId: z.string(), taskId: z.string().nullable(), attempt: z.number(), text: z.string() }),
};
