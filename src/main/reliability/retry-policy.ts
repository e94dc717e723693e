import type { SwitchboardError } from '../../shared/errors';

export interface RetryPolicy {
  /** Tries of one model before falling back: the first plus retries. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server asking for a longer wait than this sends us to the next candidate instead. */
  maxRetryAfterMs: number;
}

/**
 * Two retries from 0.5 s doubling to at most 8 s: the official openai SDK's own defaults
 * (maxRetries 2, INITIAL_RETRY_DELAY 0.5, MAX_RETRY_DELAY 8.0), which we turn off in the SDKs to
 * apply once, here, for every provider. Waits the server asks for are honoured up to 20 s; a
 * desktop user is better served by the next model than by a longer spinner.
 */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 20_000,
};

/** Never retried: the same request would fail the same way, or the user asked to stop. */
const NEVER_RETRY = new Set(['auth', 'invalid_input', 'context_too_long', 'content_filtered', 'cancelled', 'model_not_found', 'budget_exceeded']);

export function isRetryable(error: SwitchboardError): boolean {
  return error.retryable && !NEVER_RETRY.has(error.code);
}

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter":
 * sleep = random(0, min(cap, base·2^n))), but never sooner than the server's Retry-After.
 * `retry` is 1 for the first retry.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * Fallback to the next candidate is for failures of the model or its provider. The request itself
 * being refused (bad input, the content filter) or the user stopping it ends the reply.
 */
const NO_FALLBACK = new Set(['invalid_input', 'content_filtered', 'cancelled']);

export function canFallBack(error: SwitchboardError): boolean {
  return !NO_FALLBACK.has(error.code);
}
