import type { PullJob } from '../../../../shared/contract';
import { formatBytes, formatDuration, formatSpeed } from '../../../../shared/format';

/** A pull as it goes: bar, bytes, speed, time left and Cancel; how it ended once it has. */
export function PullProgress({ job, onCancel, onRetry }: { job: PullJob; onCancel: () => void; onRetry: () => void }) {
  const pct = job.totalBytes > 0 ? Math.floor((job.completedBytes / job.totalBytes) * 100) : 0;
  const active = job.state === 'pulling' || job.state === 'retrying';
  if (job.state === 'completed') {
    return (
      <div className="pull pull-done" role="status">
        <span className="ok">✓ Downloaded</span> <span className="muted small">{formatBytes(job.totalBytes)}</span>
      </div>
    );
  }
  if (!active) {
    return (
      <div className={`pull pull-${job.state}`}>
        <span className={job.state === 'failed' ? 'bad' : 'muted'} role={job.state === 'failed' ? 'alert' : 'status'}>
          {job.state === 'failed' ? (job.error?.message ?? 'The download failed.') : `Cancelled at ${formatBytes(job.completedBytes)}; pulling again resumes.`}
        </span>
        <button type="button" className="small" onClick={onRetry} aria-label={`Pull ${job.model}`}>
          Pull
        </button>
      </div>
    );
  }
  const detail =
    job.state === 'retrying'
      ? job.status
      : job.totalBytes > 0
        ? `${formatBytes(job.completedBytes)} of ${formatBytes(job.totalBytes)}${job.bytesPerSecond > 0 ? ` · ${formatSpeed(job.bytesPerSecond)}` : ''}${job.etaSeconds ? ` · ${formatDuration(job.etaSeconds)} left` : ''}`
        : job.status;
  return (
    <div className={`pull pull-${job.state}`}>
      <div className="pull-bar" role="progressbar" aria-label={`Pulling ${job.model}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-valuetext={`${pct}%, ${detail}`}>
        <span style={{ width: `${pct}%` }} />
      </div>
      <span className="pull-text small">
        <strong>{pct}%</strong> {detail}
      </span>
      <button type="button" className="small" onClick={onCancel} aria-label={`Cancel pulling ${job.model}`}>
        Cancel
      </button>
    </div>
  );
}
