import type { TaskRoute } from '../../shared/contract';
import { SwitchboardError, type SerializedError } from '../../shared/errors';
import type { RouteDecision } from '../router';
import type { PlannedTask } from './plan-schema';

const key = (graphId: string, taskId: string): string => `${graphId}\u0000${taskId}`;

/** The executor's prompt is goal + instructions + dependencies; the router judges the task by its own words. */
export function routingMessages(task: Pick<PlannedTask, 'title' | 'instructions'>) {
  return [{ role: 'user' as const, content: `${task.title}\n\n${task.instructions}` }];
}

/**
 * Why each task ran where it ran: the router's decision (reasons, escalation chain), a re-run's
 * explicit model, and the retries and escalations that followed. Kept in memory for this process;
 * after a restart the task view re-evaluates the decision and says so (`source: 're-evaluated'`).
 */
export class TaskRoutes {
  private readonly routes = new Map<string, TaskRoute>();

  get(graphId: string, taskId: string): TaskRoute | null {
    return this.routes.get(key(graphId, taskId)) ?? null;
  }

  fromDecision(graphId: string, taskId: string, decision: RouteDecision, source: 'router' | 're-evaluated'): string {
    if (decision.model === null || decision.tier === null) {
      throw new SwitchboardError(decision.refusal?.code ?? 'unavailable', decision.refusal?.message ?? 'No model can take this task right now.');
    }
    const reasons = source === 're-evaluated'
      ? ['Routed before Switchboard restarted; this is how the router decides for this task now.', ...decision.reasons]
      : decision.reasons;
    this.routes.set(key(graphId, taskId), {
      model: decision.model, tier: decision.tier, source, reasons, chain: decision.chain, estimatedCostUsd: decision.estimatedCostUsd, notes: [],
    });
    return decision.model;
  }

  override(graphId: string, taskId: string, route: Omit<TaskRoute, 'notes' | 'source'>): void {
    this.routes.set(key(graphId, taskId), { ...route, source: 'override', notes: [] });
  }

  /** A failed attempt that is followed by a retry or an escalation. */
  noteRetry(graphId: string, taskId: string, e: { model: string | null; attempt: number; error: SerializedError; nextModel: string | null }): void {
    const route = this.routes.get(key(graphId, taskId));
    if (!route) return;
    const next = e.nextModel === e.model ? `retrying on ${e.nextModel}` : `escalating to ${e.nextModel}`;
    route.notes = [...route.notes, `Attempt ${e.attempt} on ${e.model ?? '?'} failed (${e.error.message}); ${next}.`];
  }

  /** After a failed retry: the next model of the router's chain, or null to give up. */
  escalation(graphId: string, taskId: string, lastModel: string): string | null {
    const chain = this.routes.get(key(graphId, taskId))?.chain ?? [];
    const at = chain.indexOf(lastModel);
    return at >= 0 ? (chain[at + 1] ?? null) : null;
  }

  forget(graphId: string): void {
    for (const k of this.routes.keys()) if (k.startsWith(`${graphId}\u0000`)) this.routes.delete(k);
  }
}
