import type { MetricsDashboard } from '../../../../shared/contract';
import { formatPct, TIER_COLOR, TIER_LABEL } from '../../components/usd';
import { ChartSvg } from './ChartSvg';

const R = 52;
const C = 2 * Math.PI * R;
const STROKE = 20;

/** One ring of segments (stroke-dasharray arcs: a 100 % segment is a full circle, no path maths). */
function Ring({ segments, center, sub }: { segments: Array<{ key: string; fraction: number; color: string }>; center: string; sub: string }) {
  const shown = segments.filter((s) => s.fraction > 0);
  const starts = shown.map((_, i) => shown.slice(0, i).reduce((sum, s) => sum + s.fraction * C, 0));
  return (
    <g transform="translate(70 70)">
      <circle r={R} fill="none" strokeWidth={STROKE} className="chart-track-stroke" />
      {shown.map((s, i) => {
        const len = s.fraction * C;
        return <circle key={s.key} r={R} fill="none" stroke={s.color} strokeWidth={STROKE} strokeDasharray={`${len} ${C - len}`} strokeDashoffset={-starts[i]!} transform="rotate(-90)" />;
      })}
      <text y={4} textAnchor="middle" className="ring-center">
        {center}
      </text>
      <text y={22} textAnchor="middle" className="chart-tick">
        {sub}
      </text>
    </g>
  );
}

/** Share of answered requests per tier: a donut with its legend. */
export function TierDonut({ tiers }: { tiers: MetricsDashboard['tiers'] }) {
  const total = tiers.reduce((n, t) => n + t.requests, 0);
  const desc = tiers.map((t) => `${TIER_LABEL[t.tier]} ${t.requests} (${formatPct(t.share)})`).join(', ');
  return (
    <ChartSvg title="Requests per tier" desc={`${total} answered requests: ${desc}.`} width={360} height={140}>
      <Ring segments={tiers.map((t) => ({ key: t.tier, fraction: t.share, color: TIER_COLOR[t.tier] }))} center={String(total)} sub={total === 1 ? 'request' : 'requests'} />
      {tiers.map((t, i) => (
        <g key={t.tier} transform={`translate(160 ${34 + i * 30})`}>
          <rect width={12} height={12} rx={2} fill={TIER_COLOR[t.tier]} />
          <text x={20} y={11} className="chart-label">
            {TIER_LABEL[t.tier]}
          </text>
          <text x={190} y={11} textAnchor="end" className="chart-value">
            {formatPct(t.share)} · {t.requests}
          </text>
        </g>
      ))}
    </ChartSvg>
  );
}

/** How often the first model's answer was rejected and a stronger model had to answer. */
export function EscalationRing({ escalation }: { escalation: MetricsDashboard['escalation'] }) {
  const desc = `${escalation.escalated} of ${escalation.requests} requests escalated (${formatPct(escalation.rate)}), ${escalation.escalations} escalation${escalation.escalations === 1 ? '' : 's'} in all.`;
  return (
    <ChartSvg title="Escalation rate" desc={desc} width={360} height={140}>
      <Ring
        segments={[
          { key: 'escalated', fraction: escalation.rate, color: '#d9822b' },
          { key: 'first', fraction: 1 - escalation.rate, color: '#2f855a' },
        ]}
        center={formatPct(escalation.rate)}
        sub="escalated"
      />
      <g transform="translate(160 46)">
        <rect width={12} height={12} rx={2} fill="#2f855a" />
        <text x={20} y={11} className="chart-label">
          First model passed
        </text>
        <text x={190} y={11} textAnchor="end" className="chart-value">
          {escalation.requests - escalation.escalated}
        </text>
        <rect y={30} width={12} height={12} rx={2} fill="#d9822b" />
        <text x={20} y={41} className="chart-label">
          Escalated
        </text>
        <text x={190} y={41} textAnchor="end" className="chart-value">
          {escalation.escalated}
        </text>
      </g>
    </ChartSvg>
  );
}
