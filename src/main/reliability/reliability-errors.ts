import { SwitchboardError } from '../../shared/errors';
import type { BreakerSnapshot } from './circuit-breaker';
import { formatWait } from '../providers/http-errors';

function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** The breaker is open (or its one probe is out): say so, and until when, rather than hide the model. */
export function pausedError(modelId: string, snapshot: BreakerSnapshot, now: number): SwitchboardError {
  const until = snapshot.openUntil ?? now;
  const last = snapshot.lastError ? ` Last error: ${snapshot.lastError.message}` : '';
  const message =
    snapshot.state === 'half-open'
      ? `${modelId} is being re-tested after repeated failures; try again in a moment.${last}`
      : `${modelId} is paused after repeated failures until ${clockTime(until)} (${formatWait(until - now)} from now).${last}`;
  return new SwitchboardError('unavailable', message, {
    retryable: true,
    retryAfterMs: Math.max(0, until - now),
    details: { modelId, breaker: snapshot.state, pausedUntil: until, failures: snapshot.failures, requests: snapshot.requests, lastError: snapshot.lastError },
  });
}

/** Skipped before sending: the model's or provider's rate limits are (nearly) used up. */
export function rateLimitedUpFront(modelId: string, until: number, now: number): SwitchboardError {
  return new SwitchboardError('rate_limited', `${modelId} has (nearly) used up its rate limit; it refills at ${clockTime(until)} (${formatWait(until - now)} from now).`, {
    retryAfterMs: Math.max(0, until - now),
    details: { modelId, refillsAt: until, skipped: true },
  });
}

/** The one error of a request none of whose candidates answered. A single candidate's error passes through unchanged. */
export function summarize(failures: Array<{ modelId: string; error: SwitchboardError }>): SwitchboardError {
  const last = failures.at(-1)!;
  if (failures.length === 1) return last.error;
  const waits = failures.map((f) => f.error.retryAfterMs).filter((w): w is number => w !== undefined);
  return new SwitchboardError(last.error.code, `None of the ${failures.length} models could answer. ${failures.map((f) => `${f.modelId}: ${f.error.message}`).join(' | ')}`, {
    retryable: last.error.retryable,
    status: last.error.status,
    retryAfterMs: waits.length ? Math.min(...waits) : undefined,
    details: { attempts: failures.map((f) => ({ modelId: f.modelId, code: f.error.code, message: f.error.message })) },
  });
}
