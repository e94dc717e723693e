import type { MetricsDashboard } from '../../../../shared/contract';
import { formatMs, TIER_LABEL } from '../../components/usd';
import { ChartSvg } from './ChartSvg';

const W = 480;
const X0 = 42;
const BAR = 340;
const PERCENTILES = [
  ['p50', 'p50Ms', '#9aa6f0'],
  ['p95', 'p95Ms', '#6772dd'],
  ['p99', 'p99Ms', '#3a44a8'],
] as const;
const GROUP = 22 + PERCENTILES.length * 15;

/** p50 / p95 / p99 latency per model, on one scale so models compare at a glance. */
export function LatencyChart({ latency }: { latency: MetricsDashboard['latency'] }) {
  const max = Math.max(...latency.map((l) => l.p99Ms), 1);
  const desc = latency.map((l) => `${l.model} (${l.calls} calls): p50 ${formatMs(l.p50Ms)}, p95 ${formatMs(l.p95Ms)}, p99 ${formatMs(l.p99Ms)}`).join('. ');
  return (
    <ChartSvg title="Latency per model" desc={desc} width={W} height={latency.length * GROUP + 4}>
      {latency.map((l, i) => {
        const y = i * GROUP + 2;
        return (
          <g key={l.model}>
            <text x={0} y={y + 13} className="chart-label strong">
              {l.model}
            </text>
            <text x={W} y={y + 13} textAnchor="end" className="chart-tick">
              {TIER_LABEL[l.tier]} · {l.calls} call{l.calls === 1 ? '' : 's'}
            </text>
            {PERCENTILES.map(([name, key, color], j) => {
              const w = Math.max(2, (l[key] / max) * BAR);
              const by = y + 20 + j * 15;
              return (
                <g key={name}>
                  <text x={0} y={by + 10} className="chart-tick">
                    {name}
                  </text>
                  <rect x={X0} y={by + 1} width={w} height={11} rx={2} fill={color} />
                  <text x={X0 + w + 5} y={by + 10} className="chart-tick value">
                    {formatMs(l[key])}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </ChartSvg>
  );
}
