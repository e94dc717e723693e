import { useEffect, useState } from 'react';
import type { CodingAttempt, FileDiffView, StepStatus } from '../../../../shared/contract';
import { Banner } from '../../components/Banner';
import { TierBadge } from '../../components/TierBadge';
import { formatUsd } from '../../components/usd';
import { useCoding } from './coding-store';
import './coding.css';

const STEPS = ['syntax', 'build', 'test', 'lint'] as const;
const STATUS_TEXT: Record<StepStatus, string> = { passed: 'passed', failed: 'failed', skipped: 'skipped' };

/** The coding workspace (issue #12): a task on a folder, its attempts live, the kept edit as diffs to review. */
export function CodingView() {
  const { run, busy, stopping, error, clearError, stop, loadLatest } = useCoding();
  const running = run?.status === 'running';
  // The last run, with its diff and Undo, is shown again after a reload or a restart (stored in SQLite).
  useEffect(() => {
    void loadLatest();
  }, [loadLatest]);
  // Esc stops the running task, as it stops a reply in the chat (a field's own Esc goes first).
  useEffect(() => {
    if (!running) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) void stop();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [running, stop]);
  return (
    <div className="council-page coding-page">
      <div className="page-header">
        <h1>Code</h1>
        <p className="muted">Switchboard edits a repository, proves the edit with the project&apos;s own build, tests and lint, and escalates to a stronger model until they pass.</p>
      </div>
      {error ? <Banner tone="error" title="Coding" action={<button type="button" onClick={clearError}>Dismiss</button>}>{error}</Banner> : null}
      <TaskForm busy={busy || run?.status === 'running'} />
      {run ? (
        <section className="coding-run" aria-label="Coding run" data-status={run.status}>
          <div className="coding-run-head">
            <h2>{stopping && running ? 'Stopping…' : runTitle(run.status, run.attempts.at(-1))}</h2>
            <span className="muted small">
              {run.attempts.length} attempt{run.attempts.length === 1 ? '' : 's'} · {run.totalCostUsd === null ? 'cost unknown' : formatUsd(run.totalCostUsd)}
            </span>
            {running ? (
              <button type="button" className="danger" onClick={() => void stop()} disabled={stopping} title="Stop the task (Esc): a running command is killed and its edit rolled back">
                Stop
              </button>
            ) : null}
          </div>
          <p className="muted small coding-run-task">
            <span className="mono">{run.root}</span> · {run.task}
          </p>
          {run.warnings.map((w) => (
            <Banner key={w} tone="warn" title="Note">{w}</Banner>
          ))}
          <Attempts attempts={run.attempts} />
          {run.contextFiles.length ? <p className="muted small">Context sent: <span className="mono">{run.contextFiles.join(', ')}</span></p> : null}
          {run.undone ? <Banner tone="info" title="Edits undone">Every edited file is back to its bytes before this run; created files were deleted.</Banner> : null}
          {run.files.length ? <Review /> : null}
        </section>
      ) : null}
    </div>
  );
}

/** The run's heading; a pass that skipped steps names them, so "passed" never overstates what ran. */
function runTitle(status: string, last?: CodingAttempt): string {
  if (status === 'running') return 'Working…';
  if (status === 'passed') {
    const skipped = last?.steps ? (['build', 'test', 'lint'] as const).filter((k) => last.validation[k] === 'skipped') : [];
    return skipped.length ? `Validation passed — ${skipped.join(', ')} skipped` : 'Validation passed';
  }
  if (status === 'cancelled') return 'Stopped — every file is as it was';
  return 'Validation did not pass — every file is as it was';
}

function TaskForm({ busy }: { busy: boolean }) {
  const start = useCoding((s) => s.start);
  const shownRoot = useCoding((s) => s.run?.root ?? '');
  // Until typed in, the folder field holds the shown run's folder (the last run, after a reload): the next task is likely there too.
  const [typedRoot, setRoot] = useState<string | null>(null);
  const root = typedRoot ?? shownRoot;
  const [task, setTask] = useState('');
  const [model, setModel] = useState('');
  const [allowCommands, setAllowCommands] = useState(false);
  const [allowDirty, setAllowDirty] = useState(false);
  return (
    <form
      className="coding-form"
      aria-label="Coding task"
      onSubmit={(e) => {
        e.preventDefault();
        void start({ root: root.trim(), task: task.trim(), model: model.trim(), allowCommands, allowDirty });
      }}
    >
      <label>
        Workspace folder
        <input value={root} onChange={(e) => setRoot(e.target.value)} placeholder="/home/me/projects/app" required className="mono" />
      </label>
      <label>
        Task
        <textarea value={task} onChange={(e) => setTask(e.target.value)} rows={3} required placeholder="Fix the failing test in src/cart.ts" />
      </label>
      <label>
        Start on model (optional)
        <input value={model} onChange={(e) => setModel(e.target.value)} placeholder="Auto: the router picks" className="mono" />
      </label>
      <label className="coding-check">
        <input type="checkbox" checked={allowCommands} onChange={(e) => setAllowCommands(e.target.checked)} />
        <span>Allow this workspace&apos;s build, test and lint commands (remembered for this folder)</span>
      </label>
      <label className="coding-check">
        <input type="checkbox" checked={allowDirty} onChange={(e) => setAllowDirty(e.target.checked)} />
        <span>Also edit files with uncommitted changes</span>
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={busy || !root.trim() || !task.trim()}>
          Run
        </button>
      </div>
    </form>
  );
}

function Attempts({ attempts }: { attempts: CodingAttempt[] }) {
  if (attempts.length === 0) return <p className="muted">Reading the workspace and asking the first model…</p>;
  return (
    <ol className="coding-attempts" aria-label="Attempts">
      {attempts.map((a) => (
        <li key={a.attempt} aria-label={`Attempt ${a.attempt}`} data-status={a.status}>
          <div className="attempt-head">
            <strong>Attempt {a.attempt}</strong>
            <span className="mono">{a.model}</span>
            <TierBadge tier={a.tier} />
            <span className="muted small">{a.costUsd === null ? 'cost unknown' : formatUsd(a.costUsd)}</span>
          </div>
          <ul className="steps" aria-label={`Validation of attempt ${a.attempt}`}>
            {STEPS.map((s) =>
              a.progress && !a.progress.done.includes(s) ? (
                <li key={s} className={`step ${a.progress.running === s ? 'step-running' : 'step-waiting'}`}>
                  {s}: {a.progress.running === s ? 'running…' : 'waiting'}
                </li>
              ) : (
                <li key={s} className={`step step-${a.validation[s]}`} title={a.steps?.[s].reason ?? undefined}>
                  {s}: {STATUS_TEXT[a.validation[s]]}
                </li>
              ),
            )}
          </ul>
          {a.error ? <p className="attempt-error">{a.error.split('\n')[0]}</p> : null}
          {a.diagnostics.length ? (
            <ul className="diagnostics" aria-label={`Diagnostics of attempt ${a.attempt}`}>
              {a.diagnostics.slice(0, 10).map((d, i) => (
                <li key={i} className="mono">
                  {d.file}
                  {d.line > 0 ? `:${d.line}` : ''} {d.message.split('\n')[0]}
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function Review() {
  const { run, busy, review, undo } = useCoding();
  if (!run) return null;
  return (
    <section className="coding-review" aria-label="Edits">
      <div className="coding-review-head">
        <h3>Edits left in the working tree (not committed)</h3>
        <button type="button" onClick={() => void undo()} disabled={busy}>
          Undo edits
        </button>
      </div>
      {run.files.map((f) => (
        <FileDiff key={f.path} file={f} busy={busy} onReview={(decision, hunk) => void review(f.path, decision, hunk)} />
      ))}
    </section>
  );
}

function FileDiff({ file, busy, onReview }: { file: FileDiffView; busy: boolean; onReview: (decision: 'accepted' | 'rejected', hunk?: number) => void }) {
  return (
    <article className="file-diff" aria-label={`Diff of ${file.path}`}>
      <header>
        <span className="mono">{file.path}</span>
        <span className="muted small">{file.change === 'created' ? 'new file' : 'modified'}</span>
        <span className="spacer" />
        <button type="button" onClick={() => onReview('accepted')} disabled={busy} aria-label={`Accept ${file.path}`}>
          Accept file
        </button>
        <button type="button" onClick={() => onReview('rejected')} disabled={busy} aria-label={`Reject ${file.path}`}>
          Reject file
        </button>
      </header>
      {file.hunks.map((h, i) => (
        <div key={i} className={`hunk hunk-${h.decision}`} data-decision={h.decision}>
          <div className="hunk-head">
            <span className="mono">@@ -{h.oldStart},{h.oldLines} +{h.newStart},{h.newLines} @@</span>
            <span className="muted small">{h.decision === 'pending' ? 'applied, not reviewed' : h.decision === 'accepted' ? 'accepted' : 'rejected (reverted)'}</span>
            <span className="spacer" />
            <button type="button" onClick={() => onReview('accepted', i)} disabled={busy} aria-label={`Accept hunk ${i + 1} of ${file.path}`}>
              Accept
            </button>
            <button type="button" onClick={() => onReview('rejected', i)} disabled={busy} aria-label={`Reject hunk ${i + 1} of ${file.path}`}>
              Reject
            </button>
          </div>
          <pre className="hunk-lines">
            {h.lines.map((l, j) => (
              <div key={j} className={l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : 'ctx'}>
                {l || ' '}
              </div>
            ))}
          </pre>
        </div>
      ))}
    </article>
  );
}
