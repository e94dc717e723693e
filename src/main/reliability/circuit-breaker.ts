import type { SwitchboardError } from '../../shared/errors';

export interface BreakerPolicy {
  /** Opens when failures / requests in the window is above this. */
  failureRate: number;
  windowMs: number;
  /** No verdict on fewer requests than this. */
  minRequests: number;
  /** Open this long, then one probe decides. */
  cooldownMs: number;
}

/** Seed 001's CircuitBreaker: 25 % failures in a 10-minute window, at least 5 requests, 30-minute cooldown. */
export const DEFAULT_BREAKER: Readonly<BreakerPolicy> = {
  failureRate: 0.25,
  windowMs: 10 * 60_000,
  minRequests: 5,
  cooldownMs: 30 * 60_000,
};

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  state: BreakerState;
  requests: number;
  failures: number;
  openedAt: number | null;
  /** When the cooldown ends and one probe may go. */
  openUntil: number | null;
  lastError: { code: string; message: string; at: number } | null;
}

/**
 * A pass to send one request, retries included; `probe` marks the single half-open trial. Exactly
 * one outcome is reported per ticket (onSuccess, onFailure or onNeutral).
 */
export interface BreakerTicket {
  probe: boolean;
}

/**
 * Closed → open when too many requests fail in the window; open → half-open after the cooldown;
 * half-open lets exactly one probe through: success closes (with a fresh window), failure reopens.
 * Outcomes are of requests, not attempts (issue #16: a request that succeeded on its third try
 * counted as two failures): the reliability layer reports one per request, and only health
 * failures as failures (it decides which: see reliable-chat).
 */
export class CircuitBreaker {
  private outcomes: Array<{ at: number; ok: boolean }> = [];
  private openedAt: number | null = null;
  private probing = false;
  private lastError: BreakerSnapshot['lastError'] = null;

  constructor(
    private readonly policy: BreakerPolicy = DEFAULT_BREAKER,
    private readonly now: () => number = Date.now,
  ) {}

  state(): BreakerState {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt < this.policy.cooldownMs ? 'open' : 'half-open';
  }

  /** A ticket when a request may go now, else null (open, or half-open with its probe out). */
  tryAcquire(): BreakerTicket | null {
    const state = this.state();
    if (state === 'closed') return { probe: false };
    if (state === 'open' || this.probing) return null;
    this.probing = true;
    return { probe: true };
  }

  onSuccess(ticket: BreakerTicket): void {
    if (ticket.probe) {
      this.probing = false;
      this.openedAt = null;
      this.outcomes = [];
    }
    if (this.openedAt !== null) return; // a straggler from before the breaker opened
    this.push(true);
  }

  onFailure(ticket: BreakerTicket, error: SwitchboardError): void {
    const now = this.now();
    this.lastError = { code: error.code, message: error.message, at: now };
    if (ticket.probe) {
      this.probing = false;
      this.openedAt = now;
      return;
    }
    if (this.openedAt !== null) return;
    this.push(false);
    const failures = this.outcomes.filter((o) => !o.ok).length;
    if (this.outcomes.length >= this.policy.minRequests && failures / this.outcomes.length > this.policy.failureRate) {
      this.openedAt = now;
    }
  }

  /** The request ended without a verdict on the model's health (stopped by the user, bad input). */
  onNeutral(ticket: BreakerTicket): void {
    if (ticket.probe) this.probing = false;
  }

  openUntil(): number | null {
    return this.openedAt === null ? null : this.openedAt + this.policy.cooldownMs;
  }

  snapshot(): BreakerSnapshot {
    this.prune();
    return {
      state: this.state(),
      requests: this.outcomes.length,
      failures: this.outcomes.filter((o) => !o.ok).length,
      openedAt: this.openedAt,
      openUntil: this.openUntil(),
      lastError: this.lastError,
    };
  }

  private push(ok: boolean): void {
    this.outcomes.push({ at: this.now(), ok });
    this.prune();
  }

  private prune(): void {
    const cutoff = this.now() - this.policy.windowMs;
    while (this.outcomes.length > 0 && (this.outcomes[0]?.at ?? 0) < cutoff) this.outcomes.shift();
  }
}
