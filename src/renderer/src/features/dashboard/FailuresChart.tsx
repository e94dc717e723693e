import type { MetricsDashboard } from '../../../../shared/contract';
import { ChartSvg } from './ChartSvg';

const W = 480;
const X0 = 190;
const BAR = 240;
type Failure = MetricsDashboard['failures'][number];
const KIND: Record<Failure['kind'], { label: string; color: string }> = {
  gate: { label: 'Rejected by gate', color: '#d9a21b' },
  error: { label: 'Call failed', color: '#c23b3b' },
  refused: { label: 'Not routed', color: '#8b91a5' },
};

/** What went wrong, by kind and type: gate rejections (escalated), failed calls (by error code), refusals. */
export function FailuresChart({ failures }: { failures: Failure[] }) {
  const max = Math.max(...failures.map((f) => f.count), 1);
  const desc = failures.map((f) => `${KIND[f.kind].label}: ${f.type.replace(/_/g, ' ')} ${f.count}`).join('. ');
  return (
    <ChartSvg title="Failures by type" desc={desc} width={W} height={failures.length * 28 + 4}>
      {failures.map((f, i) => {
        const y = i * 28 + 2;
        const w = Math.max(3, (f.count / max) * BAR);
        return (
          <g key={`${f.kind}:${f.type}`}>
            <text x={X0 - 8} y={y + 15} textAnchor="end" className="chart-label">
              <tspan className="chart-tick">{KIND[f.kind].label}: </tspan>
              {f.type.replace(/_/g, ' ')}
            </text>
            <rect x={X0} y={y + 3} width={w} height={16} rx={3} fill={KIND[f.kind].color} />
            <text x={X0 + w + 6} y={y + 16} className="chart-value">
              {f.count}
            </text>
          </g>
        );
      })}
    </ChartSvg>
  );
}
