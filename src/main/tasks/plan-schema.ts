import type { z } from 'zod';
import type { PlanShape } from '../../shared/contract';

/**
 * The plan's schema has one definition, in the shared contract (PlanShape, PlanTaskShape: the wire
 * shape of `tasks.plan` and the rules a plan is checked with); the task-graph code keeps its names.
 */
export {
  PlanShape as Plan,
  PlanTaskShape as PlannedTask,
  TASK_COMPLEXITY_NAMES as TASK_COMPLEXITIES,
  TASK_KIND_NAMES as TASK_KINDS,
  TaskComplexity,
  TaskKind,
} from '../../shared/contract';
export type PlanInput = z.input<typeof PlanShape>;

/**
 * A plan bigger than this is a sign the planner split too finely: seed 003 warns that coordination
 * overhead grows with every handoff, and a user cannot review 100 steps. Hand-written plans too.
 */
export const MAX_PLAN_TASKS = 30;
