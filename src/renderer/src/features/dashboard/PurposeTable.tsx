import type { MetricsDashboard } from '../../../../shared/contract';
import { formatPct, formatUsd } from '../../components/usd';
import { formatTokenCount, purposeRows } from './purpose-labels';

/**
 * Cost by purpose: every model call of the period by what it was for (a chat reply, a cascade
 * escalation, a council member, a task node …), most expensive first, with a bar for its cost.
 * A table rather than a chart: the numbers are what a reader compares, and it reads at any width.
 */
export function PurposeTable({ byPurpose }: { byPurpose: MetricsDashboard['byPurpose'] }) {
  const rows = purposeRows(byPurpose);
  return (
    <table className="purpose-table" aria-label="Cost by purpose">
      <thead>
        <tr>
          <th scope="col">Purpose</th>
          <th scope="col" className="num">
            Calls
          </th>
          <th scope="col" className="num">
            Tokens in / out
          </th>
          <th scope="col" className="purpose-cost-head">
            Cost
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.purpose} data-purpose={r.purpose}>
            <th scope="row">{r.label}</th>
            <td className="num">{r.calls}</td>
            <td className="num">
              {formatTokenCount(r.inputTokens)} / {formatTokenCount(r.outputTokens)}
            </td>
            <td className="purpose-cost">
              <div>
                <span className="purpose-bar" aria-hidden="true">
                  <span style={{ width: `${Math.max(r.costUsd > 0 ? 2 : 0, r.bar * 100)}%` }} />
                </span>
                <span className="purpose-usd">{formatUsd(r.costUsd)}</span>
                <span className="purpose-share muted">{r.costUsd > 0 ? formatPct(r.share) : ''}</span>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
