import { SwitchboardError } from '../../shared/errors';
import { askJson, costFor, toJsonSchema, type CostOf, type ModelRunner, type Usage } from '../runner';
import { MAX_PLAN_TASKS, Plan, TASK_COMPLEXITIES, TASK_KINDS } from './plan-schema';
import { validatePlan } from './validate-plan';

export interface PlanTasksInput {
  request: string;
  /** The orchestrator: the strongest model available, chosen by the caller (seed 003). */
  model: string;
  runner: ModelRunner;
  signal?: AbortSignal;
  /** Extra context for the planner (open files, earlier turns), already minimised by the caller. */
  context?: string;
  maxTasks?: number;
  costOf?: CostOf;
}

export interface PlanResult {
  plan: Plan;
  model: string;
  attempts: number;
  usage: Usage | null;
  costUsd: number | null;
}

function plannerSystem(maxTasks: number): string {
  return [
    'You are the planner. Break the user\'s request into tasks that cheaper models will carry out; you do not do the work yourself.',
    `Reply with only a JSON object: {"goal": string, "tasks": [{"id", "title", "instructions", "kind", "complexity", "dependsOn"}]}.`,
    `- kind is one of ${TASK_KINDS.join(', ')}; complexity is one of ${TASK_COMPLEXITIES.join(', ')}.`,
    '- instructions must be complete on their own: the executor sees only them, the goal and the outputs of the tasks it depends on.',
    '- dependsOn lists the ids of tasks whose output this task needs. Leave it empty when a task can start at once: independent tasks run in parallel.',
    '- ids are short and unique (t1, t2, …). No cycles.',
    `- At most ${maxTasks} tasks; prefer a few substantial tasks to many tiny ones. Do not add a final "summarise" task: the answer is written from all outputs afterwards.`,
  ].join('\n');
}

/**
 * Seed 003's planning step: the orchestrator turns a request into a structured JSON plan. A plan
 * that fails validation goes back once with the errors; a second failure is rejected.
 */
export async function planTasks(o: PlanTasksInput): Promise<PlanResult> {
  const maxTasks = o.maxTasks ?? MAX_PLAN_TASKS;
  const user = o.context ? `${o.request}\n\nContext:\n${o.context}` : o.request;
  const reply = await askJson({
    runner: o.runner,
    model: o.model,
    messages: [
      { role: 'system', content: plannerSystem(maxTasks) },
      { role: 'user', content: user },
    ],
    schema: Plan,
    jsonSchema: toJsonSchema(Plan),
    // Schema errors come from zod; ids, dependencies, cycles and size from the same check as hand-written plans.
    check: (plan) => {
      const result = validatePlan(plan, { maxTasks });
      return result.ok ? [] : result.errors;
    },
    signal: o.signal ?? new AbortController().signal,
    purpose: 'tasks.plan',
    temperature: 0.2,
  });
  if (reply.ok) {
    const plan = (validatePlan(reply.value, { maxTasks }) as { ok: true; plan: Plan }).plan;
    return { plan, model: o.model, attempts: reply.attempts, usage: reply.usage, costUsd: costFor(o.costOf, reply.servedBy, reply.usage) };
  }
  if (reply.reason === 'error') throw reply.error;
  throw new SwitchboardError(
    'unavailable',
    `${o.model} did not produce a usable plan after ${reply.attempts} tries:\n${reply.errors.map((e) => `- ${e}`).join('\n')}\n` +
      'Try again, choose a stronger planning model, or write the plan by hand.',
    { retryable: true, details: { model: o.model, errors: reply.errors, lastReply: reply.text.slice(0, 4000) } },
  );
}
