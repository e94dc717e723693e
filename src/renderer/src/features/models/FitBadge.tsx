import type { FitEstimate } from '../../../../shared/contract';
import { VERDICT_LABEL, formatContext } from '../../../../shared/format';

/** One word on whether a model loads here; the estimator's reasons are in the tooltip. */
export function FitBadge({ fit, requestedContext }: { fit: FitEstimate | null; requestedContext?: number }) {
  if (!fit) return <span className="fit-badge fit-unknown">Unknown</span>;
  const detail = fit.verdict === 'partial' ? ` · ${fit.gpuLayers}/${fit.totalLayers} layers` : '';
  // A model trained on less context than asked for is estimated at its own maximum: say so.
  const capped = requestedContext !== undefined && fit.contextLength < requestedContext;
  return (
    <>
      <span className={`fit-badge fit-${fit.verdict}`} title={fit.reasons.join('\n')} data-verdict={fit.verdict}>
        {VERDICT_LABEL[fit.verdict]}
        {detail}
      </span>
      {capped ? <span className="muted small"> at its max {formatContext(fit.contextLength)}</span> : null}
    </>
  );
}
