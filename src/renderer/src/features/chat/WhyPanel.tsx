import { useEffect, useRef } from 'react';
import type { DecisionRecord, Message, RouteAttempt } from '../../../../shared/contract';
import { TierBadge } from '../../components/TierBadge';
import { formatMs, formatUsd } from '../../components/usd';
import { useRouting } from '../../stores/routing-store';

const MARK = { chosen: '★', tried: '↷', eligible: '✓', skipped: '✗' } as const;

const OUTCOME: Record<DecisionRecord['outcome'], string> = {
  ok: 'Answered',
  failed: 'No answer passed the checks',
  cancelled: 'Stopped',
  refused: 'No model could take it',
};

/** The decision record of one reply: what the request looked like, who could answer, who did, and why. */
export function WhyPanel({ message, onClose }: { message: Message; onClose: () => void }) {
  const record = useRouting((s) => s.decisions[message.id]);
  const { loadDecision, decisionError } = useRouting();
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    void loadDecision(message.id);
    closeRef.current?.focus();
  }, [message.id, loadDecision]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="why-backdrop" onClick={onClose}>
      <aside className="why-panel" role="dialog" aria-modal="true" aria-labelledby="why-title" onClick={(e) => e.stopPropagation()}>
        <header className="why-header">
          <h2 id="why-title">Why this model?</h2>
          <button type="button" ref={closeRef} onClick={onClose} aria-label="Close">
            Close
          </button>
        </header>
        {decisionError ? <p className="bad">{decisionError}</p> : null}
        {record === undefined && !decisionError ? <p className="muted">Loading…</p> : null}
        {record === null ? <p className="muted">This reply has no routing record (it was written before routing was recorded).</p> : null}
        {record ? <Record record={record} /> : null}
      </aside>
    </div>
  );
}

function Record({ record }: { record: DecisionRecord }) {
  const a = record.analysis;
  return (
    <div className="why-body">
      <section aria-label="Outcome" className={`why-outcome outcome-${record.outcome}`}>
        <strong>{OUTCOME[record.outcome]}</strong>
        {record.chosenModel ? (
          <>
            {' '}
            by <span className="mono-inline">{record.chosenModel}</span> {record.tier ? <TierBadge tier={record.tier} /> : null}
          </>
        ) : null}
        <div className="muted small">
          {record.escalations === 0 ? 'No escalation' : `${record.escalations} escalation${record.escalations === 1 ? '' : 's'}`} · cost {formatUsd(record.costUsd)} · {formatMs(record.latencyMs)}
        </div>
      </section>

      <section aria-labelledby="why-request">
        <h3 id="why-request">The request</h3>
        <dl className="why-facts">
          <dt>Task</dt>
          <dd>{a.intent.replace(/_/g, ' ')}</dd>
          <dt>Complexity</dt>
          <dd>{a.complexity}</dd>
          <dt>Context</dt>
          <dd>~{a.contextTokens.toLocaleString()} tokens</dd>
          <dt>Quality</dt>
          <dd>{a.qualityRequirement}</dd>
          <dt>Judged by</dt>
          <dd>
            {a.source === 'heuristic' ? 'rules' : 'the local router model'} (confidence {Math.round(a.confidence * 100)}%)
          </dd>
          {a.difficulty !== undefined ? (
            <>
              <dt>Difficulty</dt>
              <dd>{Math.round(a.difficulty * 100)}% chance a local model falls short</dd>
            </>
          ) : null}
          {a.predictedQuality ? (
            <>
              <dt>Likely as good as paid</dt>
              <dd>
                local {Math.round(a.predictedQuality.local * 100)}% · free {Math.round(a.predictedQuality.free * 100)}%
              </dd>
            </>
          ) : null}
        </dl>
        {a.signals.length ? <p className="muted small">Signals: {a.signals.join('; ')}</p> : null}
      </section>

      <section aria-labelledby="why-candidates">
        <h3 id="why-candidates">Candidates</h3>
        <ul className="why-candidates">
          {record.candidates.map((c) => {
            const chosen = c.model === record.chosenModel && record.outcome === 'ok';
            // A model that was tried and whose reply was rejected (or failed): say so, not just "eligible".
            const tried = chosen ? undefined : record.attempts.find((t) => t.model === c.model && !t.passed);
            const state = chosen ? 'chosen' : tried ? 'tried' : c.eligible ? 'eligible' : 'skipped';
            const why = tried ? `tried, ${tried.error ? `failed: ${tried.error.message}` : `rejected: ${tried.gates.find((g) => !g.passed)?.reason ?? 'did not pass'}`}` : null;
            return (
              <li key={c.model} className={state} aria-label={`${c.model}: ${state}`}>
                <span className="why-mark" aria-hidden="true">{MARK[state]}</span>
                <span className="mono-inline">{c.model}</span> <TierBadge tier={c.tier} />
                <span className="why-reason">
                  {why ?? `${chosen ? 'chosen — ' : state === 'skipped' ? 'skipped — ' : ''}${c.reason}`}
                  {c.contextTokens !== undefined && c.eligible ? ` · context ${contextLabel(c.contextTokens)} tokens` : ''}
                </span>
              </li>
            );
          })}
        </ul>
      </section>

      <section aria-labelledby="why-attempts">
        <h3 id="why-attempts">Attempts</h3>
        {record.attempts.length === 0 ? <p className="muted">No model was called.</p> : null}
        <ol className="why-attempts">
          {record.attempts.map((t) => (
            <Attempt key={t.attempt} attempt={t} />
          ))}
        </ol>
      </section>

      <section aria-labelledby="why-reasons">
        <h3 id="why-reasons">Why</h3>
        <ul className="why-reasons">
          {record.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function Attempt({ attempt: t }: { attempt: RouteAttempt }) {
  const tokens = t.usage ? `${t.usage.inputTokens} in / ${t.usage.outputTokens} out${t.usage.estimated ? ' (estimated)' : ''}` : null;
  return (
    <li className={t.passed ? 'passed' : 'failed'}>
      <div>
        <span className="mono-inline">{t.model}</span> <TierBadge tier={t.tier} /> <strong>{t.passed ? 'passed' : t.error ? 'failed' : 'rejected'}</strong>
      </div>
      <div className="muted small">
        {formatMs(t.latencyMs)} · {formatUsd(t.costUsd)}
        {tokens ? ` · ${tokens}` : ''}
      </div>
      {t.error ? <div className="why-error">{t.error.message}</div> : null}
      {t.gates.length ? (
        <ul className="why-gates" aria-label={`Quality gates of attempt ${t.attempt}`}>
          {t.gates.map((g) => (
            <li key={g.gate} className={g.passed ? 'gate-pass' : 'gate-fail'}>
              {g.passed ? '✓' : '✗'} {g.gate}
              {!g.passed || g.skipped ? `: ${g.reason}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** num_ctx for people: 4096 → "4K", 14336 → "14K" (issue #13). */
export function contextLabel(tokens: number): string {
  return tokens % 1024 === 0 ? `${tokens / 1024}K` : `${Math.round(tokens / 1000)}K`;
}
