import type { PullJob } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { formatBytes, formatDuration, formatSpeed } from '../../shared/format';
import type { Command } from '../command';
import { UsageError, writeJson } from '../command';

export function progressLine(job: PullJob): string {
  if (job.state === 'retrying') return `${job.model}: ${job.status}`;
  if (job.totalBytes <= 0) return `${job.model}: ${job.status}`;
  const pct = Math.floor((job.completedBytes / job.totalBytes) * 100);
  const speed = job.bytesPerSecond > 0 ? `  ${formatSpeed(job.bytesPerSecond)}` : '';
  const eta = job.etaSeconds !== null && job.etaSeconds > 0 ? `  ${formatDuration(job.etaSeconds)} left` : '';
  return `${job.model}: ${String(pct).padStart(3)}%  ${formatBytes(job.completedBytes)} of ${formatBytes(job.totalBytes)}${speed}${eta}`;
}

/** `pull <model> [--json]`: progress on stderr, one final line (or JSON object) on stdout; Ctrl-C cancels. */
export const pullCommand: Command = {
  name: 'pull',
  usage: 'pull <model> [--json]',
  summary: 'Download a model into Ollama with progress; resumes after a dropped connection, Ctrl-C cancels.',
  options: { json: { type: 'boolean' } },
  maxPositionals: 1,
  async run({ positionals, values }, ctx) {
    const [model, ...extra] = positionals;
    if (!model || extra.length > 0) throw new UsageError('pull needs one model name, for example: pull qwen2.5-coder:7b');
    const app = ctx.app();
    const pulls = app.services.setup.pulls;
    const tty = (ctx.io.stderr as NodeJS.WriteStream).isTTY === true;
    let jobId: string | null = null;
    let lastPrinted = { at: 0, decile: -1, state: '' };
    const print = (job: PullJob) => {
      const now = Date.now();
      const decile = job.totalBytes > 0 ? Math.floor((job.completedBytes / job.totalBytes) * 10) : -1;
      if (tty) {
        ctx.io.stderr.write(`\r\x1b[K${progressLine(job)}`);
        return;
      }
      // A log file gets a line per tenth, per state change, or every 5 s: enough to follow, not a flood.
      if (job.state === lastPrinted.state && decile === lastPrinted.decile && now - lastPrinted.at < 5_000) return;
      lastPrinted = { at: now, decile, state: job.state };
      ctx.io.stderr.write(`${progressLine(job)}\n`);
    };
    const unsubscribe = app.events.subscribe((e) => {
      if (e.event === 'localModels.pull' && e.payload.job.id === jobId && (e.payload.job.state === 'pulling' || e.payload.job.state === 'retrying')) print(e.payload.job);
    });
    const onAbort = () => jobId && pulls.cancel(jobId);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const started = await app.call('localModels.pull', { model });
      jobId = started.id;
      if (ctx.signal.aborted) pulls.cancel(jobId);
      const job = await pulls.wait(jobId);
      if (tty) ctx.io.stderr.write('\r\x1b[K');
      if (job.state === 'cancelled') {
        ctx.io.stderr.write(`Cancelled pulling ${job.model}; pull again to resume from ${formatBytes(job.completedBytes)}.\n`);
        return 130;
      }
      if (job.state === 'failed') throw new SwitchboardError(job.error?.code ?? 'internal', job.error?.message ?? `Pulling ${job.model} failed.`);
      if (values.json) writeJson(ctx.io, job);
      else ctx.io.stdout.write(`Pulled ${job.model} (${formatBytes(job.totalBytes)}${job.attempt > 1 ? `, resumed ${job.attempt - 1}×` : ''}).\n`);
      return 0;
    } finally {
      unsubscribe();
      ctx.signal.removeEventListener('abort', onAbort);
    }
  },
};
