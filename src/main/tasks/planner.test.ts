import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../shared/errors';
import { ScriptedRunner } from '../council';
import { planTasks } from './planner';

const good = { goal: 'g', tasks: [{ id: 't1', title: 'one', instructions: 'do one', kind: 'code', complexity: 'simple', dependsOn: [] }, { id: 't2', title: 'two', instructions: 'do two', kind: 'test', complexity: 'trivial', dependsOn: ['t1'] }] };
const cyclic = { ...good, tasks: [{ ...good.tasks[0], dependsOn: ['t2'] }, good.tasks[1]] };

describe('planTasks', () => {
  it('asks the orchestrator for a JSON plan (with the schema) and validates it', async () => {
    const runner = ScriptedRunner.byModel({ 'big/planner': JSON.stringify(good) });
    const result = await planTasks({ request: 'build it', model: 'big/planner', runner, costOf: () => 0.5 });
    expect(result).toMatchObject({ attempts: 1, model: 'big/planner', costUsd: 0.5 });
    expect(result.plan.tasks.map((t) => t.id)).toEqual(['t1', 't2']);
    const call = runner.calls[0]!;
    expect(call.purpose).toBe('tasks.plan');
    expect(call.request.options?.jsonSchema).toMatchObject({ properties: { tasks: { type: 'array' } } });
  });

  it('sends an invalid plan back once with the errors', async () => {
    const runner = ScriptedRunner.byModel({ p: (_r, i) => JSON.stringify(i === 0 ? cyclic : good) });
    const result = await planTasks({ request: 'build it', model: 'p', runner });
    expect(result.attempts).toBe(2);
    const feedback = runner.calls[1]!.request.messages.at(-1)!.content;
    expect(feedback).toMatch(/cycle: t1 → t2 → t1/);
  });

  it('rejects a plan that is still invalid, with a clear message', async () => {
    const runner = ScriptedRunner.byModel({ p: JSON.stringify(cyclic) });
    const error = await planTasks({ request: 'x', model: 'p', runner }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchboardError);
    expect((error as SwitchboardError).message).toMatch(/p did not produce a usable plan after 2 tries:\n- The dependencies form a cycle/);
    expect((error as SwitchboardError).message).toMatch(/write the plan by hand/);
    expect(runner.calls).toHaveLength(2);
  });

  it('passes a model error through', async () => {
    const runner = ScriptedRunner.byModel({ p: { error: new SwitchboardError('auth', 'bad key') } });
    await expect(planTasks({ request: 'x', model: 'p', runner })).rejects.toMatchObject({ code: 'auth' });
  });
});
