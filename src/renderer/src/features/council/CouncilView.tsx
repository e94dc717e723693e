import { useEffect } from 'react';
import type { CouncilLive, CouncilRun } from '../../../../shared/contract';
import { formatMs, formatUsd } from '../../../../shared/parallel-format';
import { Banner } from '../../components/Banner';
import { Icon } from '../../components/Icon';
import { useCouncil } from '../../stores/council-store';
import { CouncilColumns, memberColumns } from './CouncilColumns';
import { CouncilForm } from './CouncilForm';
import { Rankings, Synthesis, Verdict } from './CouncilResults';
import '../parallel-common.css';
import './council.css';

const STAGE_LABEL = { generation: 'Answering', review: 'Peer review', synthesis: 'Synthesis' } as const;
const STATUS_LABEL = { completed: 'Completed', failed: 'Failed', cancelled: 'Stopped' } as const;

function RunView({ live, record }: { live: CouncilLive | null; record: CouncilRun | null }) {
  const run = record ?? live;
  if (!run) return null;
  const columns = memberColumns(live, record);
  const cut = columns.filter((c) => c.status === 'cut-off').map((c) => c.model);
  return (
    <div className="council-run" aria-label="Council run" data-status={record ? record.status : 'running'}>
      <div className="council-run-head">
        <h2 className="council-question">{run.question}</h2>
        <div className="council-run-meta">
          {record ? (
            <>
              <span className={`run-status run-${record.status}`}>{STATUS_LABEL[record.status]}</span>
              <span>wall {formatMs(record.wallMs)}</span>
              <span title="Until enough answers were in">answers in {formatMs(record.generationMs)}</span>
              <span>total {formatUsd(record.totalCostUsd)}</span>
            </>
          ) : (
            <span className="run-status run-running">{STAGE_LABEL[live!.stage]}…</span>
          )}
          <span className="muted">
            {run.mode === 'synthesis' ? 'synthesis' : 'consensus vote'} · {run.pool} pool · waits for {run.minResponses} of {run.models.length}
          </span>
        </div>
      </div>
      {record?.error && record.status !== 'completed' ? <Banner tone={record.status === 'cancelled' ? 'info' : 'error'} title={record.status === 'cancelled' ? 'Stopped' : 'The council failed'}>{record.error.message}</Banner> : null}
      {cut.length ? (
        <div className="cut-off-note" role="note">
          <strong>Cut off:</strong> {cut.join(', ')} — still answering when {run.minResponses} answers were in; {cut.length === 1 ? 'its request was' : 'their requests were'} stopped.
        </div>
      ) : null}
      <CouncilColumns columns={columns} startedAt={run.startedAt} mode={run.mode} />
      {record?.verdict ? <Verdict verdict={record.verdict} members={record.models.length} /> : null}
      <Synthesis record={record} live={live} />
      <Rankings record={record} live={live} />
      {record?.notes.filter((n) => !/still answering when/.test(n)).length ? (
        <ul className="council-notes small muted">
          {record.notes.filter((n) => !/still answering when/.test(n)).map((n) => <li key={n}>{n}</li>)}
        </ul>
      ) : null}
    </div>
  );
}

function History() {
  const { history, live, selectedId, select, remove, exportJson } = useCouncil();
  const running = Object.values(live);
  return (
    <aside className="pcard council-history" aria-label="Council history">
      <div className="council-history-head">
        <h3>History</h3>
        <button type="button" className="small" onClick={() => void exportJson()} disabled={!history.length} title="Every saved run as seed 000's llm-performance.json">Export JSON</button>
      </div>
      <ul>
        {running.map((l) => (
          <li key={l.runId} className={selectedId === l.runId ? 'selected' : undefined}>
            <button type="button" className="link history-item" onClick={() => void select(l.runId)}>
              <span className="history-q">{l.question}</span>
              <span className="small muted">running…</span>
            </button>
          </li>
        ))}
        {history.map((r) => (
          <li key={r.id} className={selectedId === r.id ? 'selected' : undefined}>
            <button type="button" className="link history-item" onClick={() => void select(r.id)}>
              <span className="history-q">{r.question}</span>
              <span className="small muted">
                {new Date(r.startedAt).toLocaleString()} · {r.mode} · {STATUS_LABEL[r.status]} · {formatMs(r.wallMs)} · {formatUsd(r.totalCostUsd)}
              </span>
            </button>
            <button type="button" className="icon history-delete" aria-label={`Delete run ${r.question}`} title="Delete this run" onClick={() => void remove(r.id)}><Icon name="trash" /></button>
          </li>
        ))}
        {!history.length && !running.length ? <li className="muted small">No runs yet.</li> : null}
      </ul>
    </aside>
  );
}

export function CouncilView() {
  const { load, error, live, record, selectedId } = useCouncil();
  useEffect(() => {
    void load();
  }, [load]);
  const current = selectedId ? (live[selectedId] ?? null) : null;
  const runningId = Object.keys(live).find((id) => id === selectedId) ?? null;
  return (
    <div className="council-page">
      <div className="page-header">
        <h1>Council</h1>
        <p className="muted">Several models answer the same question in parallel; they rank each other&apos;s answers anonymously and a chairman combines them — or they vote.</p>
      </div>
      {error ? <Banner tone="error" title="Council">{error}</Banner> : null}
      <div className="council-layout">
        <div className="council-main">
          <CouncilForm runningId={runningId} />
        </div>
        <History />
        <div className="council-wide">
          <RunView live={current} record={current ? null : record} />
        </div>
      </div>
    </div>
  );
}
