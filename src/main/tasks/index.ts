// Task graphs (issue #7): an orchestrator plans, cheap executors run the tasks in parallel by
// their dependencies, and the answer is written from all outputs. Seeds 002 and 003.
export { Plan, PlannedTask, TaskKind, TaskComplexity, TASK_KINDS, TASK_COMPLEXITIES, MAX_PLAN_TASKS, type PlanInput } from './plan-schema';
export { validatePlan, parsePlan, type PlanValidation } from './validate-plan';
export { planTasks, type PlanTasksInput, type PlanResult } from './planner';
export { TaskExecutor, DEFAULT_MAX_CONCURRENT, TASK_TIMEOUT_MS, type TaskExecutorOptions } from './executor';
export { MAX_TASK_ATTEMPTS, type Escalate } from './run-task';
export { TaskGraphRepo, type NewGraph } from './task-graph-repo';
export { graphMetrics, type GraphMetrics } from './metrics';
export { findCycles, heaviestChain, topologicalOrder } from './graph-order';
export { MAX_DEPENDENCY_CHARS } from './task-prompt';
export type { GraphStatus, TaskEvent, TaskGraph, TaskState, TaskStatus } from './types';
// App wiring: planning, graphs run in the background with progress, re-runs, resume after restart.
export { TaskGraphService, type TaskGraphServiceDeps } from './task-graph-service';
export { TaskRoutes, routingMessages } from './task-routes';
export { estimateGraph } from './graph-estimate';
export { codeTaskRunner, type GraphWorkspace, type RunCodeTask } from './code-tasks';
