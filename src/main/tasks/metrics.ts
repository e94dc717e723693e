import type { TaskGraphMetrics } from '../../shared/contract';
import { sumCosts } from '../runner';
import { heaviestChain } from './graph-order';
import type { TaskGraph } from './types';

/** The contract's TaskGraphMetrics (a TaskGraphView's `metrics`), its one definition. */
export type GraphMetrics = TaskGraphMetrics;

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
