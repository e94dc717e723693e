import type { PlanShape } from '../../shared/contract';
import { formatUsd } from '../../shared/parallel-format';
import { PROMPT_OPTIONS, readPrompt } from '../args';
import type { CliIO, Command } from '../command';
import { UsageError, writeJson } from '../command';

/** `plan "<prompt>" [--model m] [--json]`: the planner's task graph for a request, without running it. */
export const planCommand: Command = {
  name: 'plan',
  usage: 'plan "<prompt>" | - | --file <path> [--model <provider/model>] [--json]',
  summary: 'Break a request into a task graph with the planning model (the strongest available); nothing runs. Save it for run-plan.',
  options: { model: { type: 'string', short: 'm' }, json: { type: 'boolean' }, ...PROMPT_OPTIONS },
  maxPositionals: Infinity,
  async run({ positionals, values }, ctx) {
    const model = values.model as string | undefined;
    if (model !== undefined && !model.includes('/')) throw new UsageError(`"${model}" is not a model id: write provider/model, e.g. ollama/${model}`);
    const request = await readPrompt(positionals, values, ctx.io, 'plan');
    const tasks = ctx.app().services.tasks;
    const planned = await tasks.plan({ request, model }, ctx.signal);
    if (values.json) writeJson(ctx.io, planned.plan);
    else printPlan(ctx.io, planned.plan, `Plan by ${planned.model} (${formatUsd(planned.costUsd)})`);
    return 0;
  },
};

export function printPlan(io: CliIO, plan: PlanShape, heading: string): void {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  out(`${heading}: ${plan.tasks.length} task${plan.tasks.length === 1 ? '' : 's'}`);
  out(`Goal: ${plan.goal}`);
  for (const t of plan.tasks) {
    out(`  ${t.id}  ${t.title}  [${t.kind}, ${t.complexity}]${t.dependsOn.length ? `  after ${t.dependsOn.join(', ')}` : ''}`);
    for (const line of t.instructions.split('\n')) out(`        ${line}`);
  }
  out('Save it with --json > plan.json, edit it if you like, and run it with: run-plan plan.json');
}
