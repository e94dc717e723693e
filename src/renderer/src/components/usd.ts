import type { Tier } from '../../../shared/contract';

/** Money for replies and charts: $0 for local and free calls; sub-cent amounts keep enough digits to mean something. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  const abs = Math.abs(usd);
  const sign = usd < 0 ? '−' : '';
  if (abs < 0.0001) return `${sign}<$0.0001`;
  if (abs < 0.01) return `${sign}$${abs.toFixed(4)}`;
  if (abs < 1) return `${sign}$${abs.toFixed(3)}`;
  return `${sign}$${abs.toFixed(2)}`;
}

/** Budgets are set in cents: "$4.10 of $5.00". */
export function formatDollars(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatPct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

export const TIER_LABEL: Record<Tier, string> = { local: 'Local', free: 'Free cloud', paid: 'Paid cloud' };
/** The same colours as the tier badges (styles.css .tier-*), for charts. */
export const TIER_COLOR: Record<Tier, string> = { local: '#2f855a', free: '#3b6fd8', paid: '#d9822b' };
