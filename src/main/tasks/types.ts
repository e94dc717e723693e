import type { TaskGraph, TaskGraphStatus, TaskNodeStatus, TaskState } from '../../shared/contract';
import type { SerializedError } from '../../shared/errors';
import type { GraphMetrics } from './metrics';

/**
 * A task's and a graph's state have one definition, the contract's zod schemas (issue #10):
 * TaskState and TaskGraph as stored; TaskNode and TaskGraphView add what the view shows.
 */
export type { TaskGraph, TaskState };
export type TaskStatus = TaskNodeStatus;
export type GraphStatus = TaskGraphStatus;

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
