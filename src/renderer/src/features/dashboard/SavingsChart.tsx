import type { MetricsDashboard } from '../../../../shared/contract';
import { formatUsd } from '../../components/usd';
import { ChartSvg } from './ChartSvg';

const W = 480;
const X0 = 150;
const BAR = 250;

/** What the calls cost, against the same tokens at the reference model's price. */
export function SavingsChart({ savings }: { savings: MetricsDashboard['savings'] }) {
  const reference = savings.referenceUsd ?? 0;
  const max = Math.max(reference, savings.actualUsd, 1e-9);
  const bars: Array<[string, number, string]> = [
    ['Actual cost', savings.actualUsd, '#2f855a'],
    ['All on the reference', reference, '#9aa0b2'],
  ];
  const desc =
    savings.referenceUsd === null
      ? `Actual cost ${formatUsd(savings.actualUsd)}; ${savings.referenceModel} has no price in the catalog.`
      : `Actual cost ${formatUsd(savings.actualUsd)}; the same ${savings.calls} calls on ${savings.referenceModel} would cost ${formatUsd(reference)}.`;
  return (
    <ChartSvg title="Cost against the reference model" desc={desc} width={W} height={bars.length * 34 + 4}>
      {bars.map(([label, usd, color], i) => {
        const y = i * 34 + 4;
        const w = (usd / max) * BAR;
        return (
          <g key={label}>
            <text x={X0 - 8} y={y + 15} textAnchor="end" className="chart-label">
              {label}
            </text>
            <rect x={X0} y={y + 2} width={Math.max(usd > 0 ? 2 : 0, w)} height={20} rx={3} fill={color} />
            <text x={X0 + Math.max(2, w) + 6} y={y + 16} className="chart-value">
              {formatUsd(usd)}
            </text>
          </g>
        );
      })}
    </ChartSvg>
  );
}
