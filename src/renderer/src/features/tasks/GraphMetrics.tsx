import type { TaskGraphView } from '../../../../shared/contract';
import { formatMs, formatUsd } from '../../../../shared/parallel-format';
import { TASK_STATUS_LABEL } from './TaskGraphCanvas';

/** Wall time against the sum of task times (what parallelism bought), the critical path, cost per task. */
export function GraphMetrics({ graph, wallMs, onSelect }: { graph: TaskGraphView; wallMs: number; onSelect: (taskId: string) => void }) {
  const m = graph.metrics;
  const max = Math.max(m.sequentialMs, wallMs, 1);
  const soFar = graph.running ? ' so far' : '';
  const critical = new Set(m.criticalPath.taskIds);
  return (
    <section className="pcard graph-metrics" aria-label="Graph metrics">
      <h3>Metrics</h3>
      <div className="metric-bars">
        <div className="metric-bar">
          <span className="metric-label">Wall time</span>
          <span className="bar"><span style={{ width: `${(wallMs / max) * 100}%` }} /></span>
          <strong>{formatMs(wallMs)}</strong>
        </div>
        <div className="metric-bar">
          <span className="metric-label">Sequential (sum)</span>
          <span className="bar seq"><span style={{ width: `${(m.sequentialMs / max) * 100}%` }} /></span>
          <strong>{formatMs(m.sequentialMs)}</strong>
        </div>
        <div className="metric-bar">
          <span className="metric-label">Critical path</span>
          <span className="bar crit"><span style={{ width: `${(m.criticalPath.ms / max) * 100}%` }} /></span>
          <strong>{formatMs(m.criticalPath.ms)}</strong>
        </div>
      </div>
      <p className="small muted">
        {m.speedup && !graph.running ? `Running tasks side by side saved ${formatMs(Math.max(0, m.sequentialMs - m.wallMs))} (×${m.speedup.toFixed(1)}). ` : ''}
        {m.criticalPath.ms > 0 ? `Critical path${soFar}: ${m.criticalPath.taskIds.join(' → ')} — the longest chain of tasks that wait for each other; no schedule can be faster. ` : ''}
        {m.synthesisMs !== null ? `The final answer took ${formatMs(m.synthesisMs)} more. ` : ''}
        Total {formatUsd(m.totalCostUsd)}{graph.planningCostUsd !== null ? ` (planning ${formatUsd(graph.planningCostUsd)})` : ''}.
      </p>
      <table className="models-table task-costs">
        <thead>
          <tr><th>Task</th><th>Status</th><th>Model</th><th>Attempts</th><th>Duration</th><th>Cost</th></tr>
        </thead>
        <tbody>
          {graph.tasks.map((t) => (
            <tr key={t.id} className={critical.has(t.id) ? 'critical-row' : undefined} onClick={() => onSelect(t.id)}>
              <td className="mono">{t.id}{critical.has(t.id) ? <span className="crit-dot" title="On the critical path" /> : null}</td>
              <td>{TASK_STATUS_LABEL[t.status]}</td>
              <td className="mono">{t.model ?? '—'} {t.tier ? <span className={`tier tier-${t.tier}`}>{t.tier}</span> : null}</td>
              <td>{t.attempts || '—'}</td>
              <td>{formatMs(t.durationMs)}</td>
              <td>{formatUsd(t.costUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
