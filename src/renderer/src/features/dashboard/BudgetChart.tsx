import type { BudgetLevel, BudgetPeriod, BudgetState } from '../../../../shared/contract';
import { formatDollars } from '../../components/usd';
import { ChartSvg } from './ChartSvg';

const LEVEL_COLOR: Record<BudgetLevel, string> = { ok: '#4f5bd5', warn: '#d9a21b', 'over-budget': '#d9822b', stopped: '#c23b3b' };
const LEVEL_TEXT: Record<BudgetLevel, string> = { ok: 'within budget', warn: 'past the warning', 'over-budget': 'over budget', stopped: 'stopped' };
const W = 480;
const X0 = 92;
const TRACK = 360;
const ROW = 72;
/** Marks closer than this share a line only if their labels fit; otherwise the next one drops a line. */
const LABEL_GAP = 74;

/** $80 rather than $80.00 for round amounts: tick labels stay short. */
function compact(usd: number): string {
  return Number.isInteger(usd) ? `$${usd}` : formatDollars(usd);
}

/** Spend today and this month as bars against their warn, budget and stop marks. */
export function BudgetChart({ budget }: { budget: BudgetState }) {
  const rows: Array<[string, BudgetPeriod]> = [
    ['Today', budget.day],
    ['This month', budget.month],
  ];
  const desc = rows.map(([name, p]) => `${name}: ${formatDollars(p.spentUsd + p.heldUsd)} of ${formatDollars(p.budgetUsd)} (${LEVEL_TEXT[p.level]}; warn at ${formatDollars(p.warnUsd)}, stop at ${formatDollars(p.stopUsd)})`).join('. ');
  return (
    <ChartSvg title="Spend against budget" desc={desc} width={W} height={rows.length * ROW + 4}>
      {rows.map(([name, p], i) => {
        const spent = p.spentUsd + p.heldUsd;
        const max = Math.max(p.stopUsd, spent, 0.01) * 1.04;
        const x = (usd: number) => X0 + (Math.min(usd, max) / max) * (TRACK - 8);
        const y = i * ROW + 6;
        const marks: Array<[string, number, string]> = [
          ['warn', p.warnUsd, 'mark-warn'],
          ['budget', p.budgetUsd, 'mark-budget'],
          ['stop', p.stopUsd, 'mark-stop'],
        ];
        // Label lines: a mark too close to the previous label on its line goes one line lower.
        const lines = marks.map(() => 0);
        marks.forEach(([, usd], j) => {
          if (j > 0 && x(usd) - x(marks[j - 1]![1]) < LABEL_GAP && lines[j - 1] === 0) lines[j] = 1;
        });
        return (
          <g key={name}>
            <text x={0} y={y + 25} className="chart-label">
              {name}
            </text>
            <text x={X0 + TRACK} y={y + 8} textAnchor="end" className="chart-value">
              {formatDollars(spent)} of {formatDollars(p.budgetUsd)}
            </text>
            <rect x={X0} y={y + 14} width={TRACK - 8} height={16} rx={4} className="chart-track" />
            <rect x={X0} y={y + 14} width={Math.max(spent > 0 ? 2 : 0, x(spent) - X0)} height={16} rx={4} fill={LEVEL_COLOR[p.level]} />
            {marks.map(([label, usd, cls], j) => (
              <g key={label} className={cls}>
                <line x1={x(usd)} x2={x(usd)} y1={y + 10} y2={y + 34 + lines[j]! * 11} />
                <text x={x(usd)} y={y + 46 + lines[j]! * 11} textAnchor="middle" className="chart-tick">
                  {label} {compact(usd)}
                </text>
              </g>
            ))}
          </g>
        );
      })}
    </ChartSvg>
  );
}
