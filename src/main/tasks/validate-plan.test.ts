import { describe, expect, it } from 'vitest';
import { findCycles, heaviestChain } from './graph-order';
import type { PlanInput } from './plan-schema';
import { parsePlan, validatePlan } from './validate-plan';

const task = (id: string, dependsOn: string[] = []) => ({ id, title: `Task ${id}`, instructions: `Do ${id}.`, kind: 'code' as const, complexity: 'simple' as const, dependsOn });
const plan = (...tasks: ReturnType<typeof task>[]): PlanInput => ({ goal: 'ship it', tasks });

describe('validatePlan', () => {
  it('accepts a DAG and merges repeated dependencies', () => {
    const result = validatePlan(plan(task('a'), task('b', ['a', 'a']), task('c', ['a', 'b'])));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.plan.tasks[1]!.dependsOn).toEqual(['a']);
  });

  it('reports schema errors with their path', () => {
    const result = validatePlan({ goal: '', tasks: [{ ...task('a'), kind: 'poetry' }] });
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) {
      expect(result.errors.some((e) => e.startsWith('goal:'))).toBe(true);
      expect(result.errors.some((e) => e.startsWith('tasks.0.kind:'))).toBe(true);
    }
  });

  it('rejects duplicate ids, unknown dependencies, cycles (with their path) and self-dependencies', () => {
    const result = validatePlan(plan(task('a', ['c']), task('b', ['a']), task('c', ['b']), task('x'), task('x'), task('d', ['ghost']), task('e', ['e'])));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContain('Task id "x" is used more than once; ids must be unique.');
    expect(result.errors).toContain('Task "d" depends on "ghost", which is not in the plan.');
    expect(result.errors.find((e) => e.includes('cycle'))).toMatch(/a → c → b → a/);
    expect(result.errors).toContain('Task "e" depends on itself.');
  });

  it('enforces the size limit', () => {
    const many = Array.from({ length: 31 }, (_, i) => task(`t${i}`));
    const result = validatePlan(plan(...many));
    expect(result).toMatchObject({ ok: false, errors: ['The plan has 31 tasks; the limit is 30. Merge small steps into larger ones.'] });
    expect(validatePlan(plan(...many), { maxTasks: 40 }).ok).toBe(true);
  });

  it('parsePlan throws invalid_input listing every problem (for hand-written plans)', () => {
    expect(() => parsePlan(plan(task('a', ['b']), task('b', ['a'])))).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/The plan cannot run:\n- The dependencies form a cycle/) }));
  });
});

describe('graph helpers', () => {
  it('finds each cycle once', () => {
    expect(findCycles([task('a', ['b']), task('b', ['a']), task('c', ['c'])])).toEqual([['a', 'b', 'a'], ['c', 'c']]);
  });

  it('finds the heaviest chain', () => {
    const nodes = [task('a'), task('b', ['a']), task('c', ['a']), task('d', ['b', 'c'])];
    const w: Record<string, number> = { a: 10, b: 50, c: 20, d: 5 };
    expect(heaviestChain(nodes, (n) => w[n.id]!)).toEqual({ ids: ['a', 'b', 'd'], total: 65 });
  });
});
