/**
 * Numbers people read: download sizes and speeds in decimal units as ollama.com and `ollama pull`
 * show them ("4.7 GB", "35 MB/s"), memory in binary units as nvidia-smi and the estimator use ("11.5 GiB").
 */
const DECIMAL = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  const i = Math.min(DECIMAL.length - 1, Math.floor(Math.log10(bytes) / 3));
  const value = bytes / 1000 ** i;
  return `${value >= 100 || i === 0 ? Math.round(value) : value.toFixed(1)} ${DECIMAL[i]}`;
}

export function formatGiB(bytes: number, digits = 1): string {
  return `${(bytes / 1024 ** 3).toFixed(digits)} GiB`;
}

export function formatSpeed(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** 75 → "1m 15s", 3725 → "1h 2m". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** 8192 → "8K", 131072 → "128K", 26368 → "25K" (rounded down: a limit must not be overstated), 2000 → "2000". */
export function formatContext(tokens: number): string {
  return tokens >= 4096 || (tokens >= 1024 && tokens % 1024 === 0) ? `${Math.floor(tokens / 1024)}K` : String(tokens);
}

export const VERDICT_LABEL = {
  'full-gpu': 'Fits on GPU',
  partial: 'Partly on GPU',
  'cpu-only': 'CPU only',
  'wont-fit': "Won't fit",
} as const;
