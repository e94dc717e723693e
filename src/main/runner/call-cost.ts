import type { Usage } from './chat-provider';

/** Price of a call in USD, or null when unknown (no usage, or a model without a price). */
export type CostOf = (model: string, usage: Usage) => number | null;

export function costFor(costOf: CostOf | undefined, model: string, usage: Usage | null): number | null {
  if (!costOf || !usage) return null;
  return costOf(model, usage);
}

/** Sum of known costs; null only when none is known. */
export function sumCosts(costs: ReadonlyArray<number | null>): number | null {
  const known = costs.filter((c): c is number => c !== null);
  return known.length ? known.reduce((s, c) => s + c, 0) : null;
}
