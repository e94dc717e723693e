import { z } from 'zod';

export const TASK_KINDS = ['code', 'analysis', 'docs', 'test', 'research', 'other'] as const;
export const TASK_COMPLEXITIES = ['trivial', 'simple', 'medium', 'complex'] as const;

/**
 * A plan bigger than this is a sign the planner split too finely: seed 003 warns that coordination
 * overhead grows with every handoff, and a user cannot review 100 steps. Hand-written plans too.
 */
export const MAX_PLAN_TASKS = 30;

export const TaskKind = z.enum(TASK_KINDS);
export type TaskKind = z.infer<typeof TaskKind>;
export const TaskComplexity = z.enum(TASK_COMPLEXITIES);
export type TaskComplexity = z.infer<typeof TaskComplexity>;

export const PlannedTask = z.object({
  id: z.string().trim().min(1, 'a task id cannot be empty').max(64, 'task ids are at most 64 characters'),
  title: z.string().trim().min(1, 'a task needs a title').max(200),
  instructions: z.string().trim().min(1, 'a task needs instructions'),
  kind: TaskKind,
  complexity: TaskComplexity,
  dependsOn: z.array(z.string().trim()).default([]),
});
export type PlannedTask = z.infer<typeof PlannedTask>;

/** Seed 003's "structured JSON plan": the handoff between the planner and the executors. */
export const Plan = z.object({
  goal: z.string().trim().min(1, 'the plan needs a goal'),
  tasks: z.array(PlannedTask).min(1, 'the plan has no tasks'),
});
export type Plan = z.infer<typeof Plan>;
export type PlanInput = z.input<typeof Plan>;
