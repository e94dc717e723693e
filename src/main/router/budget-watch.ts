import type { BudgetState, EventPayload } from '../../shared/contract';
import type { EventBus } from '../events/event-bus';
import type { BudgetLedger } from './budget-ledger';

/** The ledger's state with when each period resets, as the contract carries it. */
export function budgetView(ledger: BudgetLedger, now = Date.now()): BudgetState {
  const s = ledger.state();
  const d = new Date(now);
  return {
    level: s.level,
    message: s.message,
    day: { ...s.day, resetsAt: new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime() },
    month: { ...s.month, resetsAt: new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime() },
  };
}

/**
 * Emits `budget.changed` when the level moves (ok → warn → over-budget → stopped, or back): after
 * each finished reply (its calls are in the log by then) and when the budgets are edited.
 * Returns the unsubscribe function.
 */
export function watchBudget(d: { ledger: BudgetLedger; events: EventBus }): () => void {
  let last = d.ledger.state().level;
  const check = (): void => {
    const budget = budgetView(d.ledger);
    if (budget.level === last) return;
    last = budget.level;
    d.events.emit('budget.changed', { budget } satisfies EventPayload<'budget.changed'>);
  };
  return d.events.subscribe((e) => {
    if (e.event === 'settings.changed') check();
    else if (e.event === 'chat.message' && e.payload.message.role === 'assistant' && e.payload.message.status !== 'streaming') check();
  });
}
