import type { RateLimitObserver } from '../runner/chat-provider';
import { parseResetAt } from '../providers/retry-after';

interface LimitWindow {
  limit: number | null;
  remaining: number | null;
  /** Epoch ms when the window refills. */
  resetAt: number;
}

export interface RateLimitState {
  key: string;
  requests: LimitWindow | null;
  tokens: LimitWindow | null;
  /** Set by a 429's Retry-After: nothing should be sent before it. */
  blockedUntil: number | null;
  observedAt: number;
}

export interface RateLimitTrackerOptions {
  now?: () => number;
  /** Requests kept in hand: at or below this many remaining the key counts as nearly exhausted. Default 1. */
  reserveRequests?: number;
  /** Tokens a request needs at least, when the caller gives no estimate. Default 1000. */
  reserveTokens?: number;
}

/** A window whose reset time the headers did not give is trusted for a minute (the shortest common window). */
const UNKNOWN_RESET_MS = 60_000;

/**
 * Remembers the last rate-limit headers per model (Groq, OpenAI: `x-ratelimit-*`, counted per
 * model) or per provider (Anthropic: `anthropic-ratelimit-*`, per organisation), and 429 waits,
 * so a nearly exhausted free tier is skipped up front instead of being hit for a 429.
 */
export class RateLimitTracker implements RateLimitObserver {
  private readonly states = new Map<string, RateLimitState>();
  private readonly now: () => number;
  private readonly reserveRequests: number;
  private readonly reserveTokens: number;

  constructor(options: RateLimitTrackerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.reserveRequests = options.reserveRequests ?? 1;
    this.reserveTokens = options.reserveTokens ?? 1000;
  }

  observe(key: string, headers: Headers): void {
    const now = this.now();
    const requests =
      readWindow(headers, 'x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests', now) ??
      readWindow(headers, 'anthropic-ratelimit-requests-limit', 'anthropic-ratelimit-requests-remaining', 'anthropic-ratelimit-requests-reset', now);
    const tokens =
      readWindow(headers, 'x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens', now) ??
      tighter(
        readWindow(headers, 'anthropic-ratelimit-tokens-limit', 'anthropic-ratelimit-tokens-remaining', 'anthropic-ratelimit-tokens-reset', now),
        readWindow(headers, 'anthropic-ratelimit-input-tokens-limit', 'anthropic-ratelimit-input-tokens-remaining', 'anthropic-ratelimit-input-tokens-reset', now),
      );
    if (!requests && !tokens) return;
    const previous = this.states.get(key);
    this.states.set(key, { key, requests, tokens, blockedUntil: previous?.blockedUntil ?? null, observedAt: now });
  }

  /** A 429 told us to wait: block the key until then. */
  noteRateLimited(key: string, retryAfterMs: number | undefined): void {
    if (retryAfterMs === undefined || retryAfterMs <= 0) return;
    const now = this.now();
    const state = this.states.get(key) ?? { key, requests: null, tokens: null, blockedUntil: null, observedAt: now };
    state.blockedUntil = Math.max(state.blockedUntil ?? 0, now + retryAfterMs);
    this.states.set(key, state);
  }

  /**
   * True when the model (or its provider, for per-organisation limits) has at most the reserve of
   * requests left, fewer tokens than the request needs, or a 429 wait still running.
   */
  isNearlyExhausted(modelOrProvider: string, tokensNeeded?: number): boolean {
    return this.exhaustedUntil(modelOrProvider, tokensNeeded) !== null;
  }

  /** When the earliest blocking window refills (epoch ms), or null when nothing blocks. */
  exhaustedUntil(modelOrProvider: string, tokensNeeded?: number): number | null {
    const now = this.now();
    const needTokens = Math.max(this.reserveTokens, tokensNeeded ?? 0);
    let until: number | null = null;
    const block = (at: number): void => {
      until = until === null ? at : Math.min(until, at);
    };
    for (const key of keysFor(modelOrProvider)) {
      const state = this.states.get(key);
      if (!state) continue;
      if (state.blockedUntil !== null && state.blockedUntil > now) block(state.blockedUntil);
      const r = state.requests;
      if (r && r.resetAt > now && r.remaining !== null && r.remaining <= this.reserveRequests) block(r.resetAt);
      const t = state.tokens;
      if (t && t.resetAt > now && t.remaining !== null && t.remaining < needTokens) block(t.resetAt);
    }
    return until;
  }

  snapshot(key: string): RateLimitState | undefined {
    const state = this.states.get(key);
    return state ? structuredClone(state) : undefined;
  }
}

/** `groq/llama-3.1-8b-instant` → itself and `groq`; `anthropic` → itself. */
function keysFor(modelOrProvider: string): string[] {
  const slash = modelOrProvider.indexOf('/');
  return slash > 0 ? [modelOrProvider, modelOrProvider.slice(0, slash)] : [modelOrProvider];
}

function readWindow(headers: Headers, limitName: string, remainingName: string, resetName: string, now: number): LimitWindow | null {
  const remaining = num(headers.get(remainingName));
  if (remaining === null) return null;
  return {
    limit: num(headers.get(limitName)),
    remaining,
    resetAt: parseResetAt(headers.get(resetName), now) ?? now + UNKNOWN_RESET_MS,
  };
}

function tighter(a: LimitWindow | null, b: LimitWindow | null): LimitWindow | null {
  if (!a) return b;
  if (!b) return a;
  return (a.remaining ?? Infinity) <= (b.remaining ?? Infinity) ? a : b;
}

function num(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
