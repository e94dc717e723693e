import { SwitchboardError, serializeError, type SerializedError } from '../../shared/errors';
import { addUsage, callOnce, costFor, startBounded, sumCosts, type CallProgress, type ChatMessage, type CostOf, type ModelRunner, type Usage } from '../runner';
import { withEscalationNote } from '../router';
import type { PlannedTask } from './plan-schema';
import type { TaskEvent } from './types';

/** The routed model, a retry, then up to two escalations. */
export const MAX_TASK_ATTEMPTS = 4;

/** Picks a stronger model after `attempt` failed attempts, or null to give up. */
export type Escalate = (task: PlannedTask, attempt: number, lastModel: string, error: SerializedError) => string | null | Promise<string | null>;

export interface TaskOutcome {
  taskId: string;
  status: 'done' | 'failed' | 'cancelled';
  output: string;
  model: string;
  attempts: number;
  error: SerializedError | null;
  startedAt: number;
  finishedAt: number;
  usage: Usage | null;
  costUsd: number | null;
}

export interface ExecuteTaskOptions {
  graphId: string;
  task: PlannedTask;
  messages: ChatMessage[];
  model: string;
  runner: ModelRunner;
  escalate: Escalate;
  /** Per attempt, for the attempt's model. */
  timeoutMs: (model: string) => number;
  signal: AbortSignal;
  costOf?: CostOf;
  now: () => number;
  emit: (event: TaskEvent) => void;
}

/**
 * A retry on the same model only helps when the failure may pass (a timeout, a 5xx, an empty
 * reply); an auth error, a missing model or a too-long prompt go straight to escalation.
 */
function worthRetrying(error: SerializedError): boolean {
  return error.retryable || error.code === 'timeout' || error.code === 'internal';
}

/**
 * One task to the end: attempts with per-attempt timeout, one retry, then escalation (seed 002's
 * "Local → Groq → … → Sonnet" path, decided by the injected `escalate`). Never throws.
 */
export async function executeTask(o: ExecuteTaskOptions): Promise<TaskOutcome> {
  const startedAt = o.now();
  let model = o.model;
  let usage: Usage | null = null;
  const costs: Array<number | null> = [];
  /** What went wrong so far, told to the next attempt (seed 002: "add validation feedback to context", as chat's cascade does). */
  const failures: string[] = [];
  const outcome = (status: TaskOutcome['status'], attempts: number, output: string, error: SerializedError | null): TaskOutcome => ({
    taskId: o.task.id, status, output, model, attempts, error, startedAt, finishedAt: o.now(), usage, costUsd: sumCosts(costs),
  });
  for (let attempt = 1; ; attempt++) {
    o.emit({ type: 'task-start', graphId: o.graphId, taskId: o.task.id, model, attempt });
    const progress: CallProgress = { text: '', firstTokenAt: null };
    const attemptModel = model;
    const timeoutMs = o.timeoutMs(model);
    const b = await startBounded({
      timeoutMs,
      signal: o.signal,
      now: o.now,
      run: (signal) =>
        callOnce({
          runner: o.runner, model: attemptModel, messages: failures.length ? withEscalationNote(o.messages, failures) : o.messages, signal, purpose: 'tasks.node', progress, now: o.now,
          onDelta: (text) => o.emit({ type: 'task-delta', graphId: o.graphId, taskId: o.task.id, attempt, text }),
        }),
    }).promise;
    const reply = b.value;
    usage = addUsage(usage, reply?.usage ?? null);
    costs.push(costFor(o.costOf, reply?.servedBy ?? model, reply?.usage ?? null));
    if (b.status === 'cancelled' || b.status === 'cut-off') return outcome('cancelled', attempt, progress.text, { code: 'cancelled', message: 'The task was stopped.', retryable: true });

    let error: SerializedError;
    if (b.status === 'timeout') error = { code: 'timeout', message: `${model} did not finish within ${Math.round(timeoutMs / 1000)} s.`, retryable: true };
    else if (reply?.error) error = serializeError(reply.error);
    else if (!reply || !reply.text.trim()) error = { code: 'internal', message: `${model} returned nothing.`, retryable: true };
    else return outcome('done', attempt, reply.text, null);

    failures.push(`${model}: ${error.message}`);
    let next: string | null = null;
    if (attempt < MAX_TASK_ATTEMPTS) {
      if (attempt === 1 && worthRetrying(error)) next = model;
      else {
        try {
          next = await o.escalate(o.task, attempt, model, error);
        } catch (escalateError) {
          const e = escalateError instanceof SwitchboardError ? escalateError : new SwitchboardError('internal', String(escalateError));
          error = { ...error, message: `${error.message} (escalation failed too: ${e.message})` };
        }
      }
    }
    if (o.signal.aborted) return outcome('cancelled', attempt, progress.text, { code: 'cancelled', message: 'The task was stopped.', retryable: true });
    if (next === null) return outcome('failed', attempt, progress.text, error);
    o.emit({ type: 'task-failed', graphId: o.graphId, taskId: o.task.id, model, attempt, error, final: false, nextModel: next, blocked: [] });
    model = next;
  }
}
