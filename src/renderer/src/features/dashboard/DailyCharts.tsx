import type { MetricsDashboard } from '../../../../shared/contract';
import { formatUsd, TIER_COLOR, TIER_LABEL } from '../../components/usd';
import { ChartSvg } from './ChartSvg';

type Day = MetricsDashboard['series'][number];
const W = 960;
const H = 150;
const TOP = 18;
const BOTTOM = 128;
const X0 = 4;

/** "9", with the month on the first day shown and on the 1st: "Jun 9", "Jul 1". */
function dayLabel(day: Day, first: boolean): string {
  const n = Number(day.day.slice(8));
  return first || n === 1 ? new Date(day.start).toLocaleDateString(undefined, { month: 'short', day: 'numeric' }) : String(n);
}

/** Every nth day label, so 30 days stay readable. */
function labelEvery(n: number): number {
  return n <= 14 ? 1 : n <= 31 ? 3 : 7;
}

function Axis({ series, slot }: { series: Day[]; slot: number }) {
  const every = labelEvery(series.length);
  return (
    <g>
      <line x1={X0} x2={W} y1={BOTTOM + 0.5} y2={BOTTOM + 0.5} className="chart-axis" />
      {series.map((d, i) =>
        (series.length - 1 - i) % every === 0 ? (
          <text key={d.day} x={X0 + i * slot + slot / 2} y={BOTTOM + 14} textAnchor="middle" className="chart-tick">
            {dayLabel(d, i === (series.length - 1) % every)}
          </text>
        ) : null,
      )}
    </g>
  );
}

/** Requests per day, stacked by the tier that answered. */
export function DailyRequests({ series }: { series: Day[] }) {
  const slot = (W - X0) / series.length;
  const max = Math.max(...series.map((d) => d.tiers.local + d.tiers.free + d.tiers.paid), 1);
  const scale = (n: number) => (n / max) * (BOTTOM - TOP);
  const active = series.filter((d) => d.requests > 0);
  const desc = active.length
    ? active.map((d) => `${d.day}: ${(['local', 'free', 'paid'] as const).map((t) => `${TIER_LABEL[t]} ${d.tiers[t]}`).join(', ')}`).join('. ')
    : 'No requests in this period.';
  return (
    <ChartSvg title="Requests per day by tier" desc={desc} width={W} height={H}>
      <text x={X0} y={10} className="chart-tick">
        max {max} / day
      </text>
      {series.map((d, i) => {
        let y = BOTTOM;
        const total = d.tiers.local + d.tiers.free + d.tiers.paid;
        return (
          <g key={d.day}>
            {total > 0 && slot >= 24 ? (
              <text x={X0 + i * slot + slot / 2} y={BOTTOM - scale(total) - 4} textAnchor="middle" className="chart-tick value">
                {total}
              </text>
            ) : null}
            {(['local', 'free', 'paid'] as const).map((t) => {
              const h = scale(d.tiers[t]);
              y -= h;
              return h > 0 ? <rect key={t} x={X0 + i * slot + slot * 0.18} y={y} width={slot * 0.64} height={h} fill={TIER_COLOR[t]} /> : null;
            })}
          </g>
        );
      })}
      <Axis series={series} slot={slot} />
    </ChartSvg>
  );
}

/** Spend per day, next to what the same calls would have cost on the reference model. */
export function DailySpend({ series, referenceModel }: { series: Day[]; referenceModel: string }) {
  const slot = (W - X0) / series.length;
  const max = Math.max(...series.map((d) => Math.max(d.costUsd, d.referenceUsd ?? 0)), 1e-9);
  const scale = (usd: number) => (usd / max) * (BOTTOM - TOP);
  const active = series.filter((d) => d.costUsd > 0 || (d.referenceUsd ?? 0) > 0);
  const desc = active.length
    ? active.map((d) => `${d.day}: ${formatUsd(d.costUsd)}${d.referenceUsd === null ? '' : ` (on ${referenceModel}: ${formatUsd(d.referenceUsd)})`}`).join('. ')
    : 'Nothing was spent in this period.';
  return (
    <ChartSvg title="Spend per day" desc={desc} width={W} height={H}>
      <text x={X0} y={10} className="chart-tick">
        max {formatUsd(max)} / day
      </text>
      {series.map((d, i) => {
        const x = X0 + i * slot;
        const ref = scale(d.referenceUsd ?? 0);
        const cost = scale(d.costUsd);
        return (
          <g key={d.day}>
            {ref > 0 ? <rect x={x + slot * 0.14} y={BOTTOM - ref} width={slot * 0.36} height={ref} fill="#c5c9d6" /> : null}
            {cost > 0 ? <rect x={x + slot * 0.5} y={BOTTOM - Math.max(1, cost)} width={slot * 0.36} height={Math.max(1, cost)} fill="#2f855a" /> : null}
            {d.costUsd > 0 && slot >= 40 ? (
              <text x={x + slot * 0.68} y={BOTTOM - Math.max(1, cost) - 4} textAnchor="middle" className="chart-tick value">
                {formatUsd(d.costUsd)}
              </text>
            ) : null}
          </g>
        );
      })}
      <Axis series={series} slot={slot} />
    </ChartSvg>
  );
}
