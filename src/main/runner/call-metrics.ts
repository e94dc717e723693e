/** Timings of one call, epoch ms. */
export interface CallTiming {
  startedAt: number;
  firstTokenAt: number | null;
  endedAt: number;
}

export interface CallMetrics {
  /** Request sent → stream ended. */
  latencyMs: number;
  /** Request sent → first text token (null when none arrived). */
  ttftMs: number | null;
  /** Output tokens over the generation time (first token → end); null when it cannot be measured. */
  tokensPerSecond: number | null;
}

export function callMetrics(timing: CallTiming, outputTokens: number): CallMetrics {
  const latencyMs = Math.max(0, timing.endedAt - timing.startedAt);
  if (timing.firstTokenAt === null) return { latencyMs, ttftMs: null, tokensPerSecond: null };
  const ttftMs = Math.max(0, timing.firstTokenAt - timing.startedAt);
  const generationMs = timing.endedAt - timing.firstTokenAt;
  const tokensPerSecond = generationMs > 0 && outputTokens > 0 ? (outputTokens * 1000) / generationMs : null;
  return { latencyMs, ttftMs, tokensPerSecond };
}

/** Nearest-rank percentile of ascending-sorted values (p in 0..100); null for no values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? null;
}
