import type { SerializedError } from '../../shared/errors';
import type { Usage } from '../runner';
import type { GraphMetrics } from './metrics';
import type { PlannedTask } from './plan-schema';

export type TaskStatus = 'pending' | 'running' | 'done' | 'failed' | 'blocked' | 'cancelled';
export type GraphStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

/** A planned task and where its execution stands. */
export interface TaskState extends PlannedTask {
  graphId: string;
  seq: number;
  status: TaskStatus;
  /** The model of the last attempt. */
  model: string | null;
  /** Set by a re-run "on a higher tier": used instead of the router for this task. */
  modelOverride: string | null;
  /** Attempts of the latest execution (retry and escalations included). */
  attempts: number;
  output: string | null;
  error: SerializedError | null;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
  /** Summed over every execution of the task, re-runs included: money spent is spent. */
  usage: Usage | null;
  costUsd: number | null;
}

export interface TaskGraph {
  id: string;
  request: string;
  goal: string;
  status: GraphStatus;
  plannerModel: string | null;
  planningCostUsd: number | null;
  synthesisModel: string;
  /** The final answer, written from every task's output. */
  answer: string | null;
  synthesisMs: number | null;
  synthesisCostUsd: number | null;
  error: SerializedError | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  /** Time spent running tasks, summed over runs (a resumed or re-run graph adds its new stretch). */
  wallMs: number;
  tasks: TaskState[];
}

/** Progress of a graph, for the lead to map onto contract events. */
export type TaskEvent =
  | { type: 'task-start'; graphId: string; taskId: string; model: string; attempt: number }
  | { type: 'task-delta'; graphId: string; taskId: string; attempt: number; text: string }
  | { type: 'task-done'; graphId: string; taskId: string; model: string; attempts: number; durationMs: number; costUsd: number | null }
  | {
      type: 'task-failed';
      graphId: string;
      taskId: string;
      model: string | null;
      attempt: number;
      error: SerializedError;
      /** False while a retry or an escalation follows (then `nextModel` says on what). */
      final: boolean;
      nextModel: string | null;
      /** Final failures: the dependents now blocked. */
      blocked: string[];
    }
  | { type: 'synthesis-delta'; graphId: string; model: string; text: string }
  | { type: 'graph-done'; graphId: string; status: GraphStatus; error: SerializedError | null; metrics: GraphMetrics };
