import type { CouncilLive, CouncilRun, CouncilVerdict } from '../../../../shared/contract';
import { Markdown } from '../../components/Markdown';

const OUTCOME_LABEL = { unanimous: 'Unanimous', majority: 'Majority', split: 'Split' } as const;

/** Borda count over the reviewers' rankings, and how each reviewer ranked. */
export function Rankings({ record, live }: { record: CouncilRun | null; live: CouncilLive | null }) {
  const review = record?.review ?? null;
  if (!review) {
    if (!live || live.mode !== 'synthesis' || live.stage === 'generation') return null;
    return (
      <section className="pcard" aria-label="Rankings">
        <h3>Peer review</h3>
        <p className="muted small">{live.reviews.length} reviewer{live.reviews.length === 1 ? '' : 's'} done…</p>
        {live.stageNotes.map((n) => <p key={n} className="muted small">{n}</p>)}
      </section>
    );
  }
  if (review.skipped) {
    return (
      <section className="pcard" aria-label="Rankings">
        <h3>Peer review</h3>
        <p className="muted">{review.reason}</p>
      </section>
    );
  }
  return (
    <section className="pcard" aria-label="Rankings">
      <h3>Rankings <span className="muted small">(Borda count over the anonymous peer reviews)</span></h3>
      <table className="models-table rankings">
        <thead>
          <tr><th>Rank</th><th>Model</th><th title="Mean normalised Borda score, 0–1">Score</th><th>Points</th><th>Ballots</th></tr>
        </thead>
        <tbody>
          {review.ranking.map((row) => (
            <tr key={row.candidate} className={row.rank === 1 ? 'top' : undefined}>
              <td>{row.rank}</td>
              <td className="mono">{row.candidate}</td>
              <td>
                <span className="score-bar"><span style={{ width: `${Math.round(row.score * 100)}%` }} /></span> {row.score.toFixed(2)}
              </td>
              <td>{row.points}</td>
              <td>{row.ballots}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Each reviewer's ranking</h4>
      <ul className="reviews">
        {review.reviews.map((r) => (
          <li key={r.reviewer}>
            <span className="mono">{r.reviewer}</span>
            {r.status === 'ranked' ? (
              <>
                {': '}
                {r.rankingModels.map((m, i) => (
                  <span key={m} className="ballot">{i + 1}. <span className="mono">{m}</span></span>
                ))}
                {r.reasons ? <details><summary className="small">Why</summary><p className="small">{r.reasons}</p></details> : null}
              </>
            ) : (
              <span className="muted"> — dropped{r.note ? `: ${r.note}` : ''}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Synthesis({ record, live }: { record: CouncilRun | null; live: CouncilLive | null }) {
  const text = record ? (record.mode === 'synthesis' ? record.answer : '') : (live?.synthesis?.text ?? '');
  const chairman = record?.chairman ?? live?.synthesis?.model ?? null;
  if ((record?.mode ?? live?.mode) !== 'synthesis' || (!text && !(live && live.stage === 'synthesis'))) return null;
  const streaming = !record;
  return (
    <section className="pcard council-synthesis" aria-label="Synthesis" data-status={streaming ? 'streaming' : 'complete'}>
      <h3>Synthesis {chairman ? <span className="muted small">by the chairman, <span className="mono">{chairman}</span></span> : null}</h3>
      {text ? <Markdown text={text} /> : <p className="muted">The chairman is writing…</p>}
      {streaming && text ? <span className="typing">•••</span> : null}
    </section>
  );
}

export function Verdict({ verdict, members }: { verdict: CouncilVerdict; members: number }) {
  return (
    <section className="pcard" aria-label="Verdict">
      <h3>
        Verdict <span className={`outcome outcome-${verdict.outcome}`}>{OUTCOME_LABEL[verdict.outcome]}</span>
        {verdict.verdict ? <strong className={`vote vote-${verdict.verdict}`}> {verdict.verdict}</strong> : null}
      </h3>
      <p className="small">
        {Object.entries(verdict.tally).map(([option, n]) => (
          <span key={option} className="ballot">{option}: {n}</span>
        ))}
        <span className="muted"> · {verdict.votes} valid vote{verdict.votes === 1 ? '' : 's'} of {members} · agreement {Math.round(verdict.agreement * 100)} %</span>
      </p>
      {verdict.dissent.length ? (
        <>
          <h4>{verdict.outcome === 'split' ? 'Against the leading option' : 'Dissenting'}</h4>
          <ul className="reviews">
            {verdict.dissent.map((d) => (
              <li key={d.model}><span className="mono">{d.model}</span> voted <strong>{d.verdict}</strong>: {d.reason}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
