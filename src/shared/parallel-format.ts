/** Numbers of council runs and task graphs, the same in the UI and the CLI. */

/** 0 → "$0", 0.000123 → "$0.000123", 0.42 → "$0.4200"; null → "—" (no price known). */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return '—';
  if (usd === 0) return '$0';
  return usd < 0.01 ? `$${usd.toFixed(6)}` : `$${usd.toFixed(4)}`;
}

/** 850 → "850 ms", 4200 → "4.2 s", 125000 → "2m 5s"; null → "—". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${s % 60}s`;
}

/** Early completion by default (seed 001): with three or more models, go on without the slowest. */
export function defaultMinResponses(models: number): number {
  return models >= 3 ? models - 1 : models;
}
