import type { CouncilLive, CouncilRun, LiveMemberStatus } from '../../../../shared/contract';
import { formatMs, formatUsd } from '../../../../shared/parallel-format';
import { Markdown } from '../../components/Markdown';
import { useNow } from '../use-now';

export const MEMBER_LABEL: Record<LiveMemberStatus, string> = {
  waiting: 'Waiting',
  streaming: 'Streaming…',
  answered: 'Answered',
  'cut-off': 'Cut off',
  failed: 'Failed',
  timeout: 'Timed out',
  cancelled: 'Cancelled',
};

export interface MemberColumn {
  model: string;
  status: LiveMemberStatus;
  text: string;
  latencyMs: number | null;
  costUsd: number | null;
  /** Why it failed, timed out or was cut off; who stood in for it. */
  note: string | null;
  vote: { verdict: string; reason: string } | null;
  order: number | null;
}

/** One column per member, from the live events while the run goes, then from the saved record. */
export function memberColumns(live: CouncilLive | null, record: CouncilRun | null): MemberColumn[] {
  if (record) {
    return record.responses.map((r) => ({
      model: r.model, status: r.status, text: r.text, latencyMs: r.latencyMs, costUsd: r.costUsd, vote: r.vote, order: r.status === 'answered' ? r.settledOrder : null,
      note: r.status === 'cut-off'
        ? `Stopped after ${formatMs(r.latencyMs)}: ${record.minResponses} answers were already in.`
        : r.error ? r.error.message : r.servedBy ? `${r.servedBy} answered in its place.` : null,
    }));
  }
  if (!live) return [];
  return live.models.map((model) => {
    const m = live.members[model] ?? { status: 'waiting' as const, text: '', latencyMs: null };
    return { model, status: m.status, text: m.text, latencyMs: m.latencyMs, costUsd: null, note: null, vote: null, order: null };
  });
}

export function CouncilColumns({ columns, startedAt, mode }: { columns: MemberColumn[]; startedAt: number; mode: 'synthesis' | 'consensus' }) {
  const running = columns.some((c) => c.status === 'waiting' || c.status === 'streaming');
  const now = useNow(running);
  return (
    <div className="council-columns" style={{ gridTemplateColumns: `repeat(${columns.length}, minmax(220px, 1fr))` }}>
      {columns.map((c) => {
        const pending = c.status === 'waiting' || c.status === 'streaming';
        const latency = pending ? Math.max(0, now - startedAt) : c.latencyMs;
        return (
          <section key={c.model} className={`council-column status-${c.status}`} aria-label={`Answer from ${c.model}`} data-status={c.status}>
            <header>
              <div className="mono council-column-model" title={c.model}>{c.model}</div>
              <div className="council-column-meta">
                <span className={`member-status member-${c.status}`}>{MEMBER_LABEL[c.status]}</span>
                <span title="Latency: request sent → answer complete (or stopped)">{pending ? `${formatMs(latency)}…` : formatMs(latency)}</span>
                <span title="Cost at the catalog's prices (local models are free)">{formatUsd(c.costUsd)}</span>
                {c.order ? <span className="muted" title="Order in which the answers arrived">#{c.order}</span> : null}
              </div>
            </header>
            {c.note ? <div className={`council-note${c.status === 'cut-off' ? ' cut' : ''}`}>{c.note}</div> : null}
            <div className="council-answer">
              {mode === 'consensus' && c.vote ? (
                <p><strong className={`vote vote-${c.vote.verdict}`}>{c.vote.verdict}</strong> — {c.vote.reason}</p>
              ) : c.text ? (
                <Markdown text={c.text} />
              ) : (
                <p className="muted small">{pending ? (mode === 'consensus' ? 'Voting…' : 'Thinking…') : 'No answer.'}</p>
              )}
            </div>
          </section>
        );
      })}
    </div>
  );
}
