import { SwitchboardError } from '../../shared/errors';
import { zodIssues } from '../runner';
import { findCycles } from './graph-order';
import { MAX_PLAN_TASKS, Plan } from './plan-schema';

export type PlanValidation = { ok: true; plan: Plan } | { ok: false; errors: string[] };

/**
 * Everything a plan must satisfy before it runs, planner-written or hand-written: the schema,
 * unique ids, dependencies that exist, no cycles (each reported as its path) and the size limit.
 * Repeated dependencies are merged silently; they do no harm.
 */
export function validatePlan(input: unknown, options: { maxTasks?: number } = {}): PlanValidation {
  const parsed = Plan.safeParse(input);
  if (!parsed.success) return { ok: false, errors: zodIssues(parsed.error) };
  const plan: Plan = { ...parsed.data, tasks: parsed.data.tasks.map((t) => ({ ...t, dependsOn: [...new Set(t.dependsOn)] })) };
  const errors: string[] = [];
  const max = options.maxTasks ?? MAX_PLAN_TASKS;
  if (plan.tasks.length > max) errors.push(`The plan has ${plan.tasks.length} tasks; the limit is ${max}. Merge small steps into larger ones.`);
  const ids = new Set<string>();
  for (const t of plan.tasks) {
    if (ids.has(t.id)) errors.push(`Task id "${t.id}" is used more than once; ids must be unique.`);
    ids.add(t.id);
  }
  for (const t of plan.tasks) {
    for (const dep of t.dependsOn) {
      if (!ids.has(dep)) errors.push(`Task "${t.id}" depends on "${dep}", which is not in the plan.`);
    }
  }
  for (const cycle of findCycles(plan.tasks)) {
    errors.push(
      cycle.length === 2
        ? `Task "${cycle[0]}" depends on itself.`
        : `The dependencies form a cycle: ${cycle.join(' → ')} (each task waits for the next, so none can start).`,
    );
  }
  return errors.length ? { ok: false, errors } : { ok: true, plan };
}

/** A hand-written or edited plan: the validated plan, or an `invalid_input` error listing every problem. */
export function parsePlan(input: unknown, options: { maxTasks?: number } = {}): Plan {
  const result = validatePlan(input, options);
  if (result.ok) return result.plan;
  throw new SwitchboardError('invalid_input', `The plan cannot run:\n${result.errors.map((e) => `- ${e}`).join('\n')}`, {
    details: { errors: result.errors },
  });
}
