import { Fragment, type ReactNode } from 'react';
import { budgetNote, breakdownRows, callCount, estimateSummary, isFree, refusedSteps } from './cost-estimate-format';
import { TierBadge } from './TierBadge';
import type { CostEstimateState } from './use-cost-estimate';
import './cost-estimate.css';

/** The id of the refusal warning, for the `aria-describedby` of the button it disables. */
export const refusalIdOf = (id: string): string => `${id}-refusal`;

/** A model id that wraps after its slashes, not inside a name ("openrouter/anthropic/" + "claude-…"). */
function ModelId({ id }: { id: string }) {
  const parts = id.split('/');
  return <>{parts.map((p, i) => <Fragment key={i}>{p}{i < parts.length - 1 ? <>/<wbr /></> : null}</Fragment>)}</>;
}

/**
 * What a council or a task graph would cost, beside its Start / Run button (issue #10): one line,
 * a breakdown per call to open, the budget's warning when it applies, and when the budget stops a
 * paid call, why the button is disabled (the button points here with aria-describedby). `remedy`,
 * when the caller knows one on this screen, ends the refusal with what to change.
 */
export function CostEstimate({ id, state, remedy }: { id: string; state: CostEstimateState; remedy?: ReactNode }) {
  const { estimate, error, pending } = state;
  if (!estimate && !error && !pending) return null;
  const note = estimate ? budgetNote(estimate) : null;
  const steps = estimate ? refusedSteps(estimate) : [];
  return (
    <div className="cost-estimate" id={id}>
      <div className={`cost-estimate-line${pending ? ' pending' : ''}`} role="status" aria-label="Cost estimate" aria-busy={pending}>
        {estimate ? (
          <span className={isFree(estimate) ? 'cost-free' : 'cost-paid'}>{estimateSummary(estimate)}</span>
        ) : error ? (
          <span className="muted">No cost estimate: {error}</span>
        ) : (
          <span className="muted">Estimating the cost…</span>
        )}
      </div>
      {estimate?.refusal ? (
        <div className="cost-refusal" id={refusalIdOf(id)} role="alert">
          <strong>Cannot start: the budget stops paid models.</strong>
          <div>{estimate.refusal}</div>
          {steps.length ? (
            <ul>
              {steps.map((s) => <li key={s}>Needs a paid model: {s}</li>)}
            </ul>
          ) : null}
          {remedy ? <div className="cost-remedy">{remedy}</div> : null}
        </div>
      ) : null}
      {note ? <p className="cost-budget-note">{note}</p> : null}
      {estimate && !isFree(estimate) ? (
        <details className="cost-breakdown">
          <summary>Breakdown ({callCount(estimate)})</summary>
          <table aria-label="Cost breakdown">
            <thead>
              <tr><th scope="col">Step</th><th scope="col">Model</th><th scope="col">Tier</th><th scope="col" className="num">Estimate</th><th scope="col" className="num">At most</th></tr>
            </thead>
            <tbody>
              {breakdownRows(estimate).map((r, i) => (
                <tr key={i}>
                  <td>{r.label}</td>
                  <td className="mono model-id"><ModelId id={r.model} /></td>
                  <td><TierBadge tier={r.tier} /></td>
                  <td className="num">{r.estimate}</td>
                  <td className="num">{r.max}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="cost-footnote">“At most” counts each call at the output cap it sends upstream (what the budget reserves), and a task&apos;s escalations to stronger models if its answer fails a check.</p>
        </details>
      ) : null}
    </div>
  );
}
