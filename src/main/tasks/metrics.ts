import { sumCosts } from '../runner';
import { heaviestChain } from './graph-order';
import type { TaskGraph, TaskStatus } from './types';

export interface GraphMetrics {
  /** Time spent running tasks (all runs of the graph). */
  wallMs: number;
  synthesisMs: number | null;
  /** The sum of task durations: what running them one after another would have taken. */
  sequentialMs: number;
  /** The longest dependency chain by actual duration: no schedule can beat it. */
  criticalPath: { taskIds: string[]; ms: number };
  /** sequentialMs / wallMs: what parallelism bought. */
  speedup: number | null;
  /** wallMs / criticalPath.ms: scheduling overhead, 1.0 is perfect (the bench's target is ≤ 1.05). */
  overhead: number | null;
  tasks: Array<{ taskId: string; status: TaskStatus; model: string | null; attempts: number; durationMs: number | null; costUsd: number | null }>;
  /** Planning + tasks + synthesis, of what has a known price. */
  totalCostUsd: number | null;
}

/** Seed 003's "critical steps" view of a graph, from the recorded durations. */
export function graphMetrics(graph: TaskGraph): GraphMetrics {
  const sequentialMs = graph.tasks.reduce((s, t) => s + (t.durationMs ?? 0), 0);
  const chain = heaviestChain(graph.tasks, (t) => t.durationMs ?? 0);
  return {
    wallMs: graph.wallMs,
    synthesisMs: graph.synthesisMs,
    sequentialMs,
    criticalPath: { taskIds: chain.ids, ms: chain.total },
    speedup: graph.wallMs > 0 ? sequentialMs / graph.wallMs : null,
    overhead: chain.total > 0 ? graph.wallMs / chain.total : null,
    tasks: graph.tasks.map((t) => ({ taskId: t.id, status: t.status, model: t.model, attempts: t.attempts, durationMs: t.durationMs, costUsd: t.costUsd })),
    totalCostUsd: sumCosts([graph.planningCostUsd, ...graph.tasks.map((t) => t.costUsd), graph.synthesisCostUsd]),
  };
}
