import type { CostEstimate } from '../../shared/contract';
import { STAGE_OVERHEAD_TOKENS, type CostEstimator, type CostLine } from '../answer';
import { analyse } from '../router';
import type { PlannedTask } from './plan-schema';
import { routingMessages } from './task-routes';
import type { TaskGraph } from './types';

/**
 * What running a graph's unfinished tasks and its synthesis is expected to cost now: each task
 * routed as the executor would route it, reading its dependencies' outputs (as they are when
 * finished, else at the expected length / the cap), with its chain's escalations in the worst case.
 */
export async function estimateGraph(estimator: CostEstimator, graph: TaskGraph): Promise<CostEstimate> {
  const config = await estimator.config();
  const cap = config.replyTokens.max;
  const lines: CostLine[] = [];
  const outputs = new Map(graph.tasks.map((t) => [t.id, t.status === 'done' ? (t.output ?? '') : '']));
  for (const task of graph.tasks) {
    if (task.status === 'done') continue;
    // A task pinned to a model (re-run on a chosen model) runs there; the rest are routed.
    const decision = estimator.router.previewCached(routingMessages(task), task.modelOverride ? { model: task.modelOverride } : 'auto');
    // A pinned model the budget would refuse is still this task's model: it belongs in the estimate (and the refusal).
    const model = decision.model ?? task.modelOverride ?? null;
    if (model === null) continue;
    const reply = config.replyTokens[decision.analysis.complexity];
    const deps = dependencyTokens(task, outputs, reply, cap);
    const q = decision.analysis.contextTokens + STAGE_OVERHEAD_TOKENS;
    const line = estimator.line(task.title, model, { in: q + deps.expected, out: reply, maxIn: q + deps.max, maxOut: cap });
    // Escalations along the task's chain are part of its worst case (the router's maxCostUsd).
    lines.push({ ...line, maxCostUsd: Math.max(line.maxCostUsd, decision.maxCostUsd) });
  }
  const analysis = analyse([{ role: 'user', content: graph.request }]);
  const reply = config.replyTokens[analysis.complexity];
  const q = analysis.contextTokens + STAGE_OVERHEAD_TOKENS;
  const n = graph.tasks.length;
  lines.push(estimator.line('Synthesis', graph.synthesisModel, { in: q + n * reply, out: reply, maxIn: q + n * cap, maxOut: cap }));
  return estimator.total(lines);
}

function dependencyTokens(task: PlannedTask, outputs: ReadonlyMap<string, string>, reply: number, cap: number): { expected: number; max: number } {
  let expected = 0;
  let max = 0;
  for (const dep of task.dependsOn) {
    const done = outputs.get(dep);
    const tokens = done ? Math.ceil(done.length / 4) : null;
    expected += tokens ?? reply;
    max += tokens ?? cap;
  }
  return { expected, max };
}
