import type { Tier } from '../../shared/contract';

/** Seed 001's tier pools: how much a request may take, by how hard it is. */
export type Pool = 'quick' | 'balanced' | 'high' | 'reasoning';

/** Every phase of one HTTP attempt, in ms. */
export interface TimeoutPolicy {
  /** Request sent → response headers. */
  connectMs: number;
  /** Request sent → first text token (covers connect, queueing at the provider and prompt processing). */
  firstTokenMs: number;
  /** Longest silence between parts once text flows: a stall past it aborts the request. */
  idleMs: number;
  /** Request sent → stream end. */
  totalMs: number;
}

/**
 * Totals are seed 001's TIER_TIMEOUTS (30 / 90 / 180 / 600 s). Time to first token follows its
 * advice of "aggressive per-model timeouts (30s for balanced, 60s for high)"; quick gets half of
 * its total, reasoning half of its total because thinking models show nothing until they have
 * thought (seed 001 lists o1 at ~60 s, deepseek-r1 at ~30 s, typical, not worst case).
 * Connect: cloud APIs send stream headers before generating, so a missing answer after 10–30 s
 * is a dead connection, not a slow model. Idle: a healthy stream sends tokens every few tens of
 * ms; 15–30 s of silence is a stall (reasoning models may pause longer between visible parts).
 */
export const DEFAULT_TIMEOUTS: Readonly<Record<Pool, TimeoutPolicy>> = {
  quick: { connectMs: 10_000, firstTokenMs: 15_000, idleMs: 15_000, totalMs: 30_000 },
  balanced: { connectMs: 15_000, firstTokenMs: 30_000, idleMs: 30_000, totalMs: 90_000 },
  high: { connectMs: 20_000, firstTokenMs: 60_000, idleMs: 30_000, totalMs: 180_000 },
  reasoning: { connectMs: 30_000, firstTokenMs: 300_000, idleMs: 120_000, totalMs: 600_000 },
};

/**
 * Extra time for local models before their first token: Ollama sends its headers with the first
 * chunk, after loading the model into memory, which takes seconds to a minute from disk (Ollama's
 * own OLLAMA_LOAD_TIMEOUT allows 5 min). Added to connect, first token and total; idle unchanged.
 */
export const LOCAL_COLD_START_MS = 60_000;

export interface TimeoutSettings {
  /** Per-pool overrides from Settings. */
  pools?: Partial<Record<Pool, Partial<TimeoutPolicy>>>;
  /** Default LOCAL_COLD_START_MS. */
  localColdStartMs?: number;
}

/** The policy for one attempt: pool defaults ← Settings ← the request's own overrides, plus the local grace. */
export function resolveTimeouts(pool: Pool, tier: Tier, settings: TimeoutSettings = {}, request: Partial<TimeoutPolicy> = {}): TimeoutPolicy {
  const policy: TimeoutPolicy = { ...DEFAULT_TIMEOUTS[pool], ...defined(settings.pools?.[pool]), ...defined(request) };
  if (tier !== 'local') return policy;
  const grace = settings.localColdStartMs ?? LOCAL_COLD_START_MS;
  return {
    connectMs: policy.connectMs + grace,
    firstTokenMs: policy.firstTokenMs + grace,
    idleMs: policy.idleMs,
    totalMs: policy.totalMs + grace,
  };
}

function defined<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'number' && v > 0)) as Partial<T>;
}
