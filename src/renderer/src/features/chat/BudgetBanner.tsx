import type { BudgetPeriod, BudgetState } from '../../../../shared/contract';
import { Banner } from '../../components/Banner';
import { formatDollars } from '../../components/usd';
import { useRouting } from '../../stores/routing-store';

const RANK = { ok: 0, warn: 1, 'over-budget': 2, stopped: 3 } as const;

/** The period that sets the level (the month when it is the worse of the two), with its words. */
function worst(budget: BudgetState): { p: BudgetPeriod; name: 'today' | 'this month' } {
  return RANK[budget.month.level] > RANK[budget.day.level] ? { p: budget.month, name: 'this month' } : { p: budget.day, name: 'today' };
}

function until(p: BudgetPeriod, name: 'today' | 'this month'): string {
  const at = new Date(p.resetsAt);
  return name === 'today' ? `midnight (${at.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' })})` : at.toLocaleDateString(undefined, { day: 'numeric', month: 'long' });
}

/** Spend against the budgets: a warning, then "preferring local and free", then "only local". */
export function BudgetBanner({ onOpenSettings }: { onOpenSettings: () => void }) {
  const budget = useRouting((s) => s.budget);
  if (!budget || budget.level === 'ok') return null;
  const { p, name } = worst(budget);
  const spent = formatDollars(p.spentUsd + p.heldUsd);
  const action = (
    <button type="button" onClick={onOpenSettings}>
      Budget settings
    </button>
  );
  if (budget.level === 'warn') {
    return (
      <Banner tone="info" title={`${spent} of ${formatDollars(p.budgetUsd)} ${name}`} action={action}>
        Past the warning threshold ({formatDollars(p.warnUsd)}). Routing is unchanged until the budget is reached.
      </Banner>
    );
  }
  if (budget.level === 'over-budget') {
    return (
      <Banner tone="warn" title={`Over budget: ${spent} of ${formatDollars(p.budgetUsd)} ${name}`} action={action}>
        Preferring local and free models; paid models are tried only when those fail. Spending stops at {formatDollars(p.stopUsd)}.
      </Banner>
    );
  }
  return (
    <Banner tone="error" title={`Spending stopped: ${spent} reached the ${formatDollars(p.stopUsd)} limit ${name}`} action={action}>
      Only local models run until {until(p, name)}, or until you raise the budget in Settings.
    </Banner>
  );
}
