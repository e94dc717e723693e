import type { CallPurpose, Tier } from '../../shared/contract';
import { SwitchboardError, serializeError } from '../../shared/errors';
import { providerOf, tierOfProvider } from '../../shared/model-id';
import { silentLogger, type Logger } from '../logger';
import { costOf, estimatePromptTokens, estimateUsage, type CallSink, type CallStatus, type ChatMessage, type ChatOptions, type ChatProvider, type ModelPrice, type StreamPart, type Usage } from '../runner';
import { DEFAULT_BREAKER, type BreakerPolicy, type BreakerTicket, type CircuitBreaker } from './circuit-breaker';
import { realClock, type Clock } from './clock';
import { DEFAULT_CLOUD_CONCURRENCY, DEFAULT_LOCAL_CONCURRENCY, ProviderLimiters } from './concurrency-limiter';
import { HealthRegistry, type ModelHealth } from './model-health';
import { pausedError, rateLimitedUpFront, summarize } from './reliability-errors';
import { RateLimitTracker } from './rate-limit-tracker';
import { DEFAULT_RETRY, backoffDelay, canFallBack, isRetryable, type RetryPolicy } from './retry-policy';
import { timedAttempt, type AttemptResult } from './timed-attempt';
import { resolveTimeouts, type Pool, type TimeoutPolicy, type TimeoutSettings } from './timeouts';

export interface ReliableChatOptions {
  /** Resolves `provider/model` (the ProviderRegistry). */
  providers: { resolve(modelId: string): { provider: ChatProvider; model: string } };
  /** The model's tier (the catalog's, for cloud models). Default: by provider id (`tierOfProvider`). */
  tierOf?: (modelId: string) => Tier | null | undefined;
  /** USD per 1M tokens (the catalog's, with overrides). Models without a price cost 0. */
  pricing?: (modelId: string) => ModelPrice | null | undefined;
  /**
   * The price a paid model with no known price is counted at (issue #15: its provider's dearest known
   * price), so its calls count against the budget; the row still says its cost is unknown.
   */
  fallbackPricing?: (modelId: string) => ModelPrice | null | undefined;
  /** Receives one record per attempt (the CallRecorder). */
  recorder?: CallSink;
  /** Shared with the providers, which report their headers into it. */
  rateLimits?: RateLimitTracker;
  health?: HealthRegistry;
  breaker?: Partial<BreakerPolicy>;
  retry?: Partial<RetryPolicy>;
  timeouts?: TimeoutSettings;
  /** Slots per provider id; defaults: 5 per cloud provider (seed 000), 2 per Ollama host. */
  concurrency?: { cloud?: number; local?: number; perProvider?: Record<string, number> };
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
}

export interface ReliableChatRequest {
  /** Model ids to try, in order; the first that answers wins. */
  candidates: string[];
  messages: ChatMessage[];
  options?: ChatOptions;
  signal?: AbortSignal;
  /** Seed 001's pools set the timeouts; default `balanced` (its advice for most queries). */
  pool?: Pool;
  timeouts?: Partial<TimeoutPolicy>;
  /** The assistant message this reply fills, for the calls table. */
  messageId?: string | null;
  /** What the call is for, stored in each of its `calls` rows; default `other`. */
  purpose?: CallPurpose;
}

type ModelOutcome = { kind: 'done' } | { kind: 'failed'; error: SwitchboardError };
/** What one request says about the model's health: it answered, it failed in a way that counts, or nothing. */
type RequestHealth = 'ok' | SwitchboardError | null;

/** Errors that say something about the model's health; the rest leave its breaker alone. */
const HEALTH_FAILURES = new Set(['timeout', 'unavailable', 'network', 'internal']);

/**
 * One reliability policy for every provider: per-phase timeouts, retries with backoff before the
 * first token, per-provider FIFO concurrency limits, rate-limit awareness, a circuit breaker per
 * model, and fallback along the candidate list. Streams StreamParts; never throws.
 */
export class ReliableChat {
  readonly rateLimits: RateLimitTracker;
  readonly health: HealthRegistry;
  private readonly limiters: ProviderLimiters;
  private readonly clock: Clock;
  private readonly retry: RetryPolicy;
  private readonly logger: Logger;

  constructor(private readonly options: ReliableChatOptions) {
    this.clock = options.clock ?? realClock;
    this.rateLimits = options.rateLimits ?? new RateLimitTracker({ now: () => this.clock.now() });
    this.health = options.health ?? new HealthRegistry({ ...DEFAULT_BREAKER, ...options.breaker }, () => this.clock.now());
    this.limiters = new ProviderLimiters({ ...options.concurrency?.perProvider });
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.logger = options.logger ?? silentLogger;
  }

  /** Breaker state, failures, last error and latency per model, for Settings. */
  healthSnapshots(): ModelHealth[] {
    return this.health.snapshots();
  }

  /** True when the model's (or provider's) rate limits are nearly used up. */
  isNearlyExhausted(modelOrProvider: string): boolean {
    return this.rateLimits.isNearlyExhausted(modelOrProvider);
  }

  concurrencyStats(): ReturnType<ProviderLimiters['stats']> {
    return this.limiters.stats();
  }

  setConcurrency(providerId: string, limit: number): void {
    this.limiters.setLimit(providerId, limit);
  }

  async *stream(request: ReliableChatRequest): AsyncGenerator<StreamPart, void> {
    const candidates = [...new Set(request.candidates)];
    if (candidates.length === 0) {
      yield { type: 'error', error: new SwitchboardError('invalid_input', 'No model was given to answer this request.') };
      return;
    }
    const failures: Array<{ modelId: string; error: SwitchboardError }> = [];
    let fallbackFrom: string | null = null;
    for (let i = 0; i < candidates.length; i++) {
      const modelId = candidates[i]!;
      const outcome = yield* this.tryModel(modelId, request, fallbackFrom, candidates.slice(i + 1));
      if (outcome.kind === 'done') return;
      failures.push({ modelId, error: outcome.error });
      const next = candidates[i + 1];
      if (!next || !canFallBack(outcome.error)) {
        yield { type: 'error', error: summarize(failures) };
        return;
      }
      this.logger.info('falling back to the next model', { from: modelId, to: next, code: outcome.error.code });
      yield { type: 'fallback', from: modelId, to: next, error: outcome.error };
      fallbackFrom = modelId;
    }
  }

  private async *tryModel(modelId: string, request: ReliableChatRequest, fallbackFrom: string | null, remaining: string[]): AsyncGenerator<StreamPart, ModelOutcome> {
    let provider: ChatProvider;
    let model: string;
    try {
      ({ provider, model } = this.options.providers.resolve(modelId));
    } catch (error) {
      return { kind: 'failed', error: error instanceof SwitchboardError ? error : new SwitchboardError('internal', serializeError(error).message) };
    }
    const tier = this.options.tierOf?.(modelId) ?? tierOfProvider(providerOf(modelId));
    const now = this.clock.now();
    const until = this.rateLimits.exhaustedUntil(modelId, estimatePromptTokens(request.messages));
    if (until !== null) return { kind: 'failed', error: rateLimitedUpFront(modelId, until, now) };

    const breaker = this.health.breaker(modelId);
    // One ticket for the whole request: its retries share it, and the breaker hears one outcome for
    // all of them (issue #16: three attempts of one request that succeeded counted as two failures).
    const ticket = breaker.tryAcquire();
    if (!ticket) return { kind: 'failed', error: pausedError(modelId, breaker.snapshot(), this.clock.now()) };
    let settled = false;
    // Reported before the last parts are yielded: a consumer that stops reading at `finish` still counts.
    const settle = (health: RequestHealth): void => {
      if (settled) return;
      settled = true;
      if (health === 'ok') breaker.onSuccess(ticket);
      else if (health) {
        breaker.onFailure(ticket, health);
        if (breaker.state() === 'open') this.logger.warn('model paused by its circuit breaker', { modelId, until: breaker.openUntil(), code: health.code });
      } else breaker.onNeutral(ticket);
    };
    try {
      return yield* this.attempts({ modelId, provider, model, tier, request, fallbackFrom, remaining, breaker, ticket, settle });
    } finally {
      // Our consumer stopped reading mid-attempt: no verdict on the model, and a probe is freed.
      settle(null);
    }
  }

  /** The attempts of one request on one model: retries with backoff before the first token. */
  private async *attempts(a: {
    modelId: string;
    provider: ChatProvider;
    model: string;
    tier: Tier;
    request: ReliableChatRequest;
    fallbackFrom: string | null;
    remaining: string[];
    breaker: CircuitBreaker;
    ticket: BreakerTicket;
    /** The request's one outcome for the breaker. */
    settle(health: RequestHealth): void;
  }): AsyncGenerator<StreamPart, ModelOutcome> {
    const { modelId, provider, model, tier, request, breaker, ticket, settle } = a;
    const limiter = this.limiters.for(provider.id, tier === 'local' ? (this.options.concurrency?.local ?? DEFAULT_LOCAL_CONCURRENCY) : (this.options.concurrency?.cloud ?? DEFAULT_CLOUD_CONCURRENCY));
    const policy = resolveTimeouts(request.pool ?? 'balanced', tier, this.options.timeouts, request.timeouts);

    for (let attempt = 1; ; attempt++) {
      let release: () => void;
      try {
        release = await limiter.acquire(request.signal);
      } catch {
        settle(null);
        yield { type: 'error', error: new SwitchboardError('cancelled', 'Stopped by you.') };
        return { kind: 'done' };
      }
      let result: AttemptResult;
      try {
        result = yield* timedAttempt(provider, { model, messages: request.messages, options: request.options, signal: request.signal }, policy, this.clock, modelId);
      } finally {
        release();
      }
      const usage = this.usageOf(result, request.messages);
      this.record(request, modelId, provider.id, tier, result, usage, attempt, a.fallbackFrom);

      if (result.status === 'ok') {
        settle('ok');
        this.health.recordLatency(modelId, result.endedAt - result.startedAt, result.firstTokenAt === null ? null : result.firstTokenAt - result.startedAt);
        if (usage) yield { type: 'usage', usage };
        yield { type: 'finish', reason: result.finish ?? 'stop' };
        return { kind: 'done' };
      }
      // Every status but ok carries its error (timed-attempt guarantees it). Made only here: an
      // error's stack trace on every successful request was ~1 % of /v1's CPU (issue #17).
      const error = result.error ?? new SwitchboardError('internal', `${modelId} ended without a reason.`);
      const health: RequestHealth = result.status === 'error' && HEALTH_FAILURES.has(error.code) ? error : null;
      if (result.firstTokenAt !== null || result.status === 'cancelled') {
        // Text reached the caller: it stays; the reply ends here, and says which models are left.
        settle(health);
        if (usage) yield { type: 'usage', usage };
        const partial = result.firstTokenAt !== null;
        yield { type: 'error', error: error, ...(partial ? { partial: true } : {}), ...(partial && result.status !== 'cancelled' ? { remaining: a.remaining } : {}) };
        return { kind: 'done' };
      }
      if (error.code === 'rate_limited') this.rateLimits.noteRateLimited(modelId, error.retryAfterMs);
      if (!isRetryable(error) || attempt >= this.retry.maxAttempts || (error.retryAfterMs !== undefined && error.retryAfterMs > this.retry.maxRetryAfterMs)) {
        settle(health);
        return { kind: 'failed', error };
      }
      const delay = backoffDelay(attempt, this.retry, error.retryAfterMs, this.options.random);
      this.logger.info('retrying after a failure', { modelId, attempt, code: error.code, delayMs: delay });
      try {
        await this.clock.sleep(delay, request.signal);
      } catch {
        settle(null);
        yield { type: 'error', error: new SwitchboardError('cancelled', 'Stopped by you.') };
        return { kind: 'done' };
      }
      // Other requests opened the breaker meanwhile: this one stops retrying a paused model (a probe goes on).
      if (!ticket.probe && breaker.state() !== 'closed') {
        settle(health);
        return { kind: 'failed', error: pausedError(modelId, breaker.snapshot(), this.clock.now()) };
      }
    }
  }

  /** Reported usage, or an estimate when text was produced and the provider reported none. */
  private usageOf(result: AttemptResult, messages: ChatMessage[]): Usage | null {
    if (result.usage) return result.usage;
    if (result.firstTokenAt === null && result.status !== 'ok') return null;
    return estimateUsage(messages, result.text);
  }

  private record(
    request: ReliableChatRequest,
    modelId: string,
    providerId: string,
    tier: Tier,
    result: AttemptResult,
    usage: Usage | null,
    attempt: number,
    fallbackFrom: string | null,
  ): void {
    const recorder = this.options.recorder;
    if (!recorder) return;
    const status: CallStatus = result.status;
    const price = this.options.pricing?.(modelId);
    const counted = price ?? (tier === 'paid' ? this.options.fallbackPricing?.(modelId) : undefined);
    try {
      recorder.record({
        messageId: request.messageId ?? null,
        modelId,
        provider: providerId,
        tier,
        startedAt: result.startedAt,
        firstTokenAt: result.firstTokenAt,
        endedAt: result.endedAt,
        status,
        errorCode: result.error?.code ?? null,
        inputTokens: usage?.inputTokens ?? 0,
        outputTokens: usage?.outputTokens ?? 0,
        cachedInputTokens: usage?.cachedInputTokens ?? 0,
        cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
        costUsd: usage ? costOf(usage, counted, tier) : 0,
        costUnknown: tier === 'paid' && !price && (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0) > 0,
        estimated: usage?.estimated ?? false,
        attempt,
        fallbackFrom,
        purpose: request.purpose ?? 'other',
      });
    } catch (error) {
      this.logger.warn('the call could not be recorded', { error, modelId });
    }
  }
}
