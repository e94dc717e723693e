import { useEffect, useState } from 'react';
import type { AvailableModel, TaskGraphStatus, TaskGraphView } from '../../../../shared/contract';
import { formatMs, formatUsd } from '../../../../shared/parallel-format';
import { client } from '../../client/switchboard-client';
import { Banner } from '../../components/Banner';
import { CostEstimate, refusalIdOf } from '../../components/CostEstimate';
import { Icon } from '../../components/Icon';
import { Markdown } from '../../components/Markdown';
import { useCostEstimate, type CostEstimateState } from '../../components/use-cost-estimate';
import { useTasks } from '../../stores/tasks-store';
import { useNow } from '../use-now';
import { GraphMetrics } from './GraphMetrics';
import { PlanEditor } from './PlanEditor';
import { refusalIsOnlyTheWriter } from './final-answer-writer';
import { FinalAnswerPicker } from './FinalAnswerPicker';
import { TaskDetails } from './TaskDetails';
import { TaskGraphCanvas } from './TaskGraphCanvas';
import '../parallel-common.css';
import './tasks.css';

const GRAPH_STATUS: Record<TaskGraphStatus, string> = { pending: 'Not started', running: 'Running', done: 'Done', failed: 'Failed', cancelled: 'Stopped' };

const ESTIMATE_ID = 'graph-cost';
/** `version` only keys the estimate: it is asked again whenever the graph changes (or its writer is changed). */
const estimateGraph = ({ graphId, synthesisModel }: { graphId: string; version: number; synthesisModel: string }) => client().invoke('tasks.estimate', { graphId, synthesisModel });

const HAND_PLAN = {
  goal: 'Describe what the answer should achieve',
  tasks: [
    { id: 't1', title: 'First step', instructions: 'What the first executor should do.', kind: 'analysis', complexity: 'simple', dependsOn: [] },
    { id: 't2', title: 'Second step', instructions: 'Runs beside t1.', kind: 'docs', complexity: 'simple', dependsOn: [] },
    { id: 't3', title: 'Combine', instructions: 'Uses the outputs of t1 and t2.', kind: 'docs', complexity: 'simple', dependsOn: ['t1', 't2'] },
  ],
};

function RequestCard() {
  const { plannerModel, plannerReason, models, planningId, plan, cancelPlan, setDraft } = useTasks();
  const [request, setRequest] = useState('');
  const [planner, setPlanner] = useState('');
  const using = planner || plannerModel;
  return (
    <form className="pcard task-request" aria-label="Request" onSubmit={(e) => { e.preventDefault(); if (request.trim() && !planningId) void plan(request.trim(), planner || null); }}>
      <label className="label" htmlFor="task-request">Request</label>
      <textarea id="task-request" aria-label="Request" rows={3} value={request} onChange={(e) => setRequest(e.target.value)} placeholder="A larger job: the planning model splits it into tasks, cheap models run them in parallel, and the answer is written from their outputs." />
      <div className="row">
        <label>
          <span className="label">Planning model</span>
          <select aria-label="Planning model" value={planner} onChange={(e) => setPlanner(e.target.value)}>
            <option value="">{plannerModel ? `Strongest available: ${plannerModel}` : 'No model available'}</option>
            {models.map((m) => <option key={m.id} value={m.id}>{m.id} ({m.tier})</option>)}
          </select>
        </label>
        {planningId ? (
          <>
            <button type="button" className="danger" onClick={() => void cancelPlan()}>Stop</button>
            <span className="muted small">Planning with {using}…</span>
          </>
        ) : (
          <button type="submit" className="primary" disabled={!request.trim() || !using}>Plan</button>
        )}
        <button type="button" className="link" onClick={() => setDraft({ id: Date.now(), request: request.trim() || 'Hand-written plan', plan: HAND_PLAN, plannerModel: null, planningCostUsd: null })}>Write a plan by hand</button>
      </div>
      {!plannerModel && plannerReason ? <p className="muted small">{plannerReason}</p> : null}
    </form>
  );
}

/**
 * What running (or finishing) the graph would cost, with Run for a new graph and Continue for a
 * stopped one, and who writes the final answer (what Run sends; the estimate is asked for that writer).
 */
function GraphCost({ graph, cost, busy, onStart, models, writer, onWriter }: {
  graph: TaskGraphView; cost: CostEstimateState; busy: boolean; onStart: () => void;
  models: AvailableModel[]; writer: string; onWriter: (id: string) => void;
}) {
  const refusal = cost.estimate?.refusal ?? null;
  const onlyTheWriter = cost.estimate ? refusalIsOnlyTheWriter(cost.estimate) : false;
  // A done graph needs this only to change its writer (a refusal at the stop threshold, or a pick already made).
  if (graph.running || (graph.status === 'done' && !refusal && writer === graph.synthesisModel)) return null;
  const action = graph.status === 'pending' ? 'Run' : graph.status === 'cancelled' ? 'Continue' : null;
  const lead =
    graph.status === 'cancelled' ? 'Continue runs the tasks that did not finish, then writes the answer.'
      : graph.status === 'failed' ? 'Finishing the graph: re-run a failed task (click it); it, the tasks waiting for it and the answer run again.'
        : graph.status === 'done' ? 'A re-run runs the task, the tasks after it and the answer again.'
          : null;
  return (
    <section className="pcard graph-cost" aria-label="Cost to run">
      {lead ? <p className="small muted graph-cost-lead">{lead}</p> : null}
      {/* A re-run of a failed or done graph writes the answer again: its writer can change too. */}
      <FinalAnswerPicker models={models} value={writer} onChange={onWriter} paidStopped={cost.estimate?.budget.level === 'stopped'} disabled={busy} />
      <div className="row start-row">
        {action ? (
          // Run acts on the estimate of what it would send: not while the one for a new writer is on its way.
          <button type="button" className="primary" disabled={busy || !!refusal || cost.pending} aria-describedby={refusal ? refusalIdOf(ESTIMATE_ID) : undefined} onClick={onStart}>
            {action}
          </button>
        ) : null}
        <CostEstimate
          id={ESTIMATE_ID}
          state={cost}
          remedy={onlyTheWriter ? `To ${action ? 'run' : 're-run'} it now, pick a local model under “Final answer by” above.` : undefined}
        />
      </div>
    </section>
  );
}

function GraphPanel({ graph }: { graph: TaskGraphView }) {
  const { deltas, models, busy, cancel, rerun, start } = useTasks();
  // Who writes the final answer: the graph's own writer until the user picks another (Run sends it).
  const [chosenWriter, setWriter] = useState<string | null>(null);
  const writer = chosenWriter ?? graph.synthesisModel;
  const cost = useCostEstimate(graph.running ? null : { graphId: graph.id, version: graph.version, synthesisModel: writer }, estimateGraph);
  const refusal = cost.estimate?.refusal ?? null;
  const [selected, setSelected] = useState<string | null>(null);
  const now = useNow(graph.running, 500);
  // While it runs, the wall clock of this run is added to the time of earlier runs (resumes, re-runs).
  const wallMs = graph.running && graph.runStartedAt ? graph.wallMs + Math.max(0, now - graph.runStartedAt) : graph.metrics.wallMs;
  const task = graph.tasks.find((t) => t.id === selected) ?? null;
  const answer = graph.answer ?? deltas['']?.text ?? null;
  return (
    <div className="task-graph" aria-label="Task graph run" data-status={graph.status}>
      <div className="task-graph-head">
        <div>
          <h2>{graph.goal}</h2>
          <div className="small muted">{graph.request}</div>
        </div>
        <div className="task-graph-status">
          <span className={`run-status run-${graph.status}`}>{GRAPH_STATUS[graph.status]}{graph.running && graph.status !== 'running' ? '…' : ''}</span>
          <span className="small">{formatMs(wallMs)} · {formatUsd(graph.metrics.totalCostUsd)}</span>
          {graph.running ? <button type="button" className="danger" onClick={() => void cancel()}>Cancel</button> : null}
        </div>
      </div>
      {graph.error && graph.status !== 'done' && !graph.running ? <Banner tone={graph.status === 'cancelled' ? 'info' : 'error'} title={graph.status === 'cancelled' ? 'Stopped' : 'The graph did not finish'}>{graph.error.message}</Banner> : null}
      <GraphCost graph={graph} cost={cost} busy={busy} onStart={() => void start(graph.id, writer)} models={models} writer={writer} onWriter={setWriter} />
      <div className="tier-legend small muted">
        <span><i className="sw tier-edge-local" /> local</span><span><i className="sw tier-edge-free" /> free cloud</span><span><i className="sw tier-edge-paid" /> paid cloud</span>
        <span><i className="sw crit" /> critical path</span><span>Click a task for its prompt, output and model.</span>
      </div>
      <TaskGraphCanvas key={graph.id} graph={graph} selectedId={selected} onSelect={setSelected} now={now} />
      {task ? <TaskDetails key={task.id} graph={graph} task={task} live={deltas[task.id]?.text ?? null} models={models} busy={busy} blockedBy={refusal ? refusalIdOf(ESTIMATE_ID) : null} onRerun={(o) => void rerun(task.id, chosenWriter ? { ...o, synthesisModel: chosenWriter } : o)} /> : null}
      {answer ? (
        <section className="pcard council-synthesis" aria-label="Final answer" data-status={graph.answer ? 'complete' : 'streaming'}>
          <h3>Answer <span className="muted small">written by <span className="mono">{graph.synthesisModel}</span> from every task&apos;s output</span></h3>
          <Markdown text={answer} />
        </section>
      ) : null}
      <GraphMetrics graph={graph} wallMs={wallMs} onSelect={setSelected} />
    </div>
  );
}

function History() {
  const { graphs, graph, open, remove } = useTasks();
  return (
    <aside className="pcard council-history" aria-label="Task graph history">
      <div className="council-history-head"><h3>History</h3></div>
      <ul>
        {graphs.map((g) => (
          <li key={g.id} className={graph?.id === g.id ? 'selected' : undefined}>
            <button type="button" className="link history-item" onClick={() => void open(g.id)}>
              <span className="history-q">{g.goal}</span>
              <span className="small muted">{new Date(g.createdAt).toLocaleString()} · {g.running ? 'running…' : `${GRAPH_STATUS[g.status]} · ${formatMs(g.wallMs)}`}</span>
            </button>
            {!g.running ? <button type="button" className="icon history-delete" aria-label={`Delete graph ${g.goal}`} title="Delete" onClick={() => void remove(g.id)}><Icon name="trash" /></button> : null}
          </li>
        ))}
        {!graphs.length ? <li className="muted small">No task graphs yet.</li> : null}
      </ul>
    </aside>
  );
}

export function TasksView() {
  const { load, error, clearError, draft, setDraft, run, busy, graph } = useTasks();
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div className="council-page tasks-page">
      <div className="page-header">
        <h1>Task graphs</h1>
        <p className="muted">The strongest model plans; each task is routed to the cheapest model that can do it and runs as soon as what it needs is done.</p>
      </div>
      {error ? <Banner tone="error" title="Task graphs" action={<button type="button" onClick={clearError}>Dismiss</button>}>{error}</Banner> : null}
      <div className="council-layout">
        <div className="council-main">
          <RequestCard />
          {draft ? <PlanEditor key={draft.id} draft={draft} onChange={setDraft} onRun={() => void run()} onDiscard={() => setDraft(null)} busy={busy} /> : null}
        </div>
        <History />
        <div className="council-wide">{graph ? <GraphPanel key={graph.id} graph={graph} /> : null}</div>
      </div>
    </div>
  );
}
