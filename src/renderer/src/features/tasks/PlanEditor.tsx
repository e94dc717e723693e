import { useEffect, useState } from 'react';
import { TASK_COMPLEXITY_NAMES, TASK_KIND_NAMES, type PlanShape, type PlanTaskShape } from '../../../../shared/contract';
import { formatUsd } from '../../../../shared/parallel-format';
import { client } from '../../client/switchboard-client';
import type { PlanDraft } from '../../stores/tasks-store';

/** The plan as the form can edit it, or null when the JSON is not plan-shaped. */
function asFormPlan(plan: unknown): PlanShape | null {
  const p = plan as Partial<PlanShape> | null;
  if (!p || typeof p !== 'object' || !Array.isArray(p.tasks)) return null;
  const tasks = p.tasks.map((t): PlanTaskShape => ({
    id: String(t?.id ?? ''), title: String(t?.title ?? ''), instructions: String(t?.instructions ?? ''),
    kind: (TASK_KIND_NAMES as readonly string[]).includes(t?.kind) ? t.kind : 'other',
    complexity: (TASK_COMPLEXITY_NAMES as readonly string[]).includes(t?.complexity) ? t.complexity : 'simple',
    dependsOn: Array.isArray(t?.dependsOn) ? t.dependsOn.map(String) : [],
  }));
  return { goal: typeof p.goal === 'string' ? p.goal : '', tasks };
}

function nextId(plan: PlanShape): string {
  for (let i = plan.tasks.length + 1; ; i++) if (!plan.tasks.some((t) => t.id === `t${i}`)) return `t${i}`;
}

function TaskRow({ task, others, update, remove }: { task: PlanTaskShape; others: string[]; update: (patch: Partial<PlanTaskShape>) => void; remove: () => void }) {
  return (
    <li className="plan-task" aria-label={`Planned task ${task.id}`}>
      <div className="plan-task-line">
        <input className="plan-id mono" aria-label="Task id" value={task.id} onChange={(e) => update({ id: e.target.value })} />
        <input className="plan-title" aria-label="Task title" value={task.title} placeholder="Title" onChange={(e) => update({ title: e.target.value })} />
        <select aria-label="Kind" value={task.kind} onChange={(e) => update({ kind: e.target.value as PlanTaskShape['kind'] })}>
          {TASK_KIND_NAMES.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
        <select aria-label="Complexity" value={task.complexity} onChange={(e) => update({ complexity: e.target.value as PlanTaskShape['complexity'] })}>
          {TASK_COMPLEXITY_NAMES.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
        <button type="button" className="small" onClick={remove}>Remove</button>
      </div>
      <textarea aria-label="Instructions" rows={2} value={task.instructions} placeholder="What the executor must do (it sees only this, the goal and the outputs it depends on)" onChange={(e) => update({ instructions: e.target.value })} />
      {others.length ? (
        <div className="plan-deps small">
          <span className="muted">Waits for:</span>
          {others.map((id) => (
            <label key={id} className="check">
              <input type="checkbox" checked={task.dependsOn.includes(id)} onChange={(e) => update({ dependsOn: e.target.checked ? [...task.dependsOn, id] : task.dependsOn.filter((d) => d !== id) })} />
              <span className="mono">{id}</span>
            </label>
          ))}
        </div>
      ) : null}
    </li>
  );
}

/** Review or write a plan: a form or raw JSON, checked by the same validation the run uses. */
export function PlanEditor({ draft, onChange, onRun, onDiscard, busy }: { draft: PlanDraft; onChange: (d: PlanDraft) => void; onRun: () => void; onDiscard: () => void; busy: boolean }) {
  const [tab, setTab] = useState<'form' | 'json'>('form');
  const [text, setText] = useState(() => JSON.stringify(draft.plan, null, 2));
  const [parseError, setParseError] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[] | null>(null);

  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      client().invoke('tasks.validate', { plan: draft.plan }).then(
        (r) => !stale && setErrors(r.errors),
        (error: unknown) => !stale && setErrors([String(error)]),
      );
    }, 250);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [draft.plan]);

  const form = asFormPlan(draft.plan);
  const setPlan = (plan: PlanShape) => {
    onChange({ ...draft, plan });
    setText(JSON.stringify(plan, null, 2));
  };
  const editTask = (index: number, patch: Partial<PlanTaskShape>) => {
    if (!form) return;
    const old = form.tasks[index]!;
    const renamed = patch.id !== undefined && patch.id !== old.id ? { from: old.id, to: patch.id } : null;
    setPlan({
      ...form,
      tasks: form.tasks.map((t, i) => {
        const next = i === index ? { ...t, ...patch } : t;
        // Renaming a task keeps the dependencies on it.
        return renamed ? { ...next, dependsOn: next.dependsOn.map((d) => (d === renamed.from ? renamed.to : d)) } : next;
      }),
    });
  };
  const onText = (value: string) => {
    setText(value);
    try {
      onChange({ ...draft, plan: JSON.parse(value) as unknown });
      setParseError(null);
    } catch (error) {
      setParseError(error instanceof Error ? error.message : String(error));
    }
  };
  const problems = parseError ? [`The JSON does not parse: ${parseError}`] : (errors ?? []);
  const valid = !parseError && errors !== null && errors.length === 0;

  return (
    <section className="pcard plan-editor" aria-label="Plan">
      <div className="plan-head">
        <h3>Plan {draft.plannerModel ? <span className="muted small">by <span className="mono">{draft.plannerModel}</span> · {formatUsd(draft.planningCostUsd)}</span> : <span className="muted small">written by hand</span>}</h3>
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'form'} className={tab === 'form' ? 'active' : ''} onClick={() => setTab('form')}>Form</button>
          <button type="button" role="tab" aria-selected={tab === 'json'} className={tab === 'json' ? 'active' : ''} onClick={() => setTab('json')}>JSON</button>
        </div>
      </div>
      {tab === 'json' ? (
        <textarea className="plan-json mono" aria-label="Plan JSON" spellCheck={false} rows={16} value={text} onChange={(e) => onText(e.target.value)} />
      ) : form ? (
        <>
          <label className="label" htmlFor="plan-goal">Goal</label>
          <input id="plan-goal" className="plan-goal" aria-label="Goal" value={form.goal} onChange={(e) => setPlan({ ...form, goal: e.target.value })} />
          <ol className="plan-tasks">
            {form.tasks.map((t, i) => (
              <TaskRow key={i} task={t} others={form.tasks.filter((o) => o.id !== t.id).map((o) => o.id)} update={(p) => editTask(i, p)} remove={() => setPlan({ ...form, tasks: form.tasks.filter((_, j) => j !== i).map((o) => ({ ...o, dependsOn: o.dependsOn.filter((d) => d !== t.id) })) })} />
            ))}
          </ol>
          <button type="button" className="small" onClick={() => setPlan({ ...form, tasks: [...form.tasks, { id: nextId(form), title: '', instructions: '', kind: 'other', complexity: 'simple', dependsOn: [] }] })}>Add a task</button>
        </>
      ) : (
        <p className="muted">This JSON is not shaped like a plan (<code>{'{ "goal": …, "tasks": [ … ] }'}</code>); fix it in the JSON tab.</p>
      )}
      {problems.length ? (
        <div className="plan-errors" role="alert" aria-label="Plan problems">
          <strong>The plan cannot run yet:</strong>
          <ul>{problems.map((p) => <li key={p}>{p}</li>)}</ul>
        </div>
      ) : valid ? <p className="ok small">The plan is valid: {form?.tasks.length ?? 0} tasks.</p> : null}
      <div className="row">
        <button type="button" className="primary" disabled={!valid || busy} onClick={onRun}>Run</button>
        <button type="button" onClick={onDiscard}>Discard</button>
        <span className="muted small">On local and free models it runs at once; a plan that needs a paid model shows its cost first, and who writes the final answer can be changed there.</span>
      </div>
    </section>
  );
}
