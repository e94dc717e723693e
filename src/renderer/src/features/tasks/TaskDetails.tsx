import { useState } from 'react';
import type { AvailableModel, TaskGraphView, TaskNode } from '../../../../shared/contract';
import { formatMs, formatUsd } from '../../../../shared/parallel-format';
import { Markdown } from '../../components/Markdown';
import { TASK_STATUS_LABEL } from './TaskGraphCanvas';

const SOURCE_LABEL = { router: 'Chosen by the router', override: 'Chosen for a re-run', 're-evaluated': 'Router decision (re-evaluated)' } as const;

function Decision({ task }: { task: TaskNode }) {
  const r = task.route;
  if (!r) return <p className="muted small">{task.model ? 'No routing record for this task.' : 'Not routed yet: the router picks a model when the task starts.'}</p>;
  return (
    <div className="task-decision">
      <div className="small">
        <strong>{SOURCE_LABEL[r.source]}:</strong> <span className="mono">{r.model}</span> <span className={`tier tier-${r.tier}`}>{r.tier}</span>
        {r.estimatedCostUsd !== null ? <span className="muted"> · expected {formatUsd(r.estimatedCostUsd)}</span> : null}
      </div>
      <ul className="small">{r.reasons.map((x) => <li key={x}>{x}</li>)}</ul>
      {r.chain.length > 1 ? <div className="small muted">If it fails: {r.chain.join(' → ')}</div> : null}
      {r.notes.map((n) => <div key={n} className="small task-retry-note">{n}</div>)}
    </div>
  );
}

/** A clicked node: its prompt, output, model and why, with re-run buttons. */
export function TaskDetails({ graph, task, live, models, onRerun, busy, blockedBy }: {
  graph: TaskGraphView; task: TaskNode; live: string | null; models: AvailableModel[]; busy: boolean;
  /** The id of the budget's refusal when a re-run would need a paid call it stops (the re-run buttons point at it). */
  blockedBy: string | null;
  onRerun: (options: { model?: string; higher?: boolean }) => void;
}) {
  const [model, setModel] = useState('');
  const deps = graph.tasks.filter((t) => task.dependsOn.includes(t.id));
  const output = task.status === 'running' ? live : task.output;
  const locked = graph.running || busy || !!blockedBy;
  const why = blockedBy ?? undefined;
  return (
    <section className="pcard task-details" aria-label={`Task ${task.id} details`} data-status={task.status}>
      <div className="task-details-head">
        <h3>
          <span className="mono">{task.id}</span> {task.title}{' '}
          <span className={`task-status task-status-${task.status}`}>{TASK_STATUS_LABEL[task.status]}</span>
        </h3>
        <div className="small muted">
          {task.kind} · {task.complexity} · {task.attempts} attempt{task.attempts === 1 ? '' : 's'} · {formatMs(task.durationMs)} · {formatUsd(task.costUsd)}
        </div>
      </div>
      {task.error && task.status !== 'done' ? <div className="task-error small">{task.error.message}</div> : null}
      <div className="task-details-grid">
        <div>
          <h4>Model and why</h4>
          <Decision task={task} />
          <h4>Prompt</h4>
          <div className="task-prompt small">
            <div><span className="muted">Goal:</span> {graph.goal}</div>
            <div className="task-instructions">{task.instructions}</div>
            {deps.length ? <div className="muted">Gets the outputs of: {deps.map((d) => `${d.id} (${d.title})`).join(', ')}</div> : null}
          </div>
        </div>
        <div>
          <h4>Output</h4>
          <div className="task-output" aria-label="Task output">
            {output ? <Markdown text={output} /> : <p className="muted small">{task.status === 'running' ? 'Waiting for the first words…' : task.status === 'pending' ? 'Not run yet.' : 'No output.'}</p>}
          </div>
        </div>
      </div>
      <div className="row task-rerun">
        <button type="button" disabled={locked} aria-describedby={why} onClick={() => onRerun({})} title="Run this task and everything after it again, routed afresh">Re-run</button>
        <button type="button" disabled={locked} aria-describedby={why} onClick={() => onRerun({ higher: true })} title="The next model up the router's chain, or the strongest available">Re-run on a higher tier</button>
        <select aria-label="Re-run on model" value={model} onChange={(e) => setModel(e.target.value)} disabled={locked}>
          <option value="">Re-run on…</option>
          {models.map((m) => <option key={m.id} value={m.id}>{m.id} ({m.tier})</option>)}
        </select>
        <button type="button" disabled={locked || !model} aria-describedby={why} onClick={() => onRerun({ model })}>Go</button>
        <span className="muted small">
          {graph.running ? 'Stop the graph to re-run a task.' : blockedBy ? 'Re-running is blocked: the budget stops a paid model this graph needs (see the warning above).' : 'A re-run also re-runs the tasks after it.'}
        </span>
      </div>
    </section>
  );
}
