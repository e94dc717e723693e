export { ReliableChat, type ReliableChatOptions, type ReliableChatRequest } from './reliable-chat';
export { CircuitBreaker, DEFAULT_BREAKER, type BreakerPolicy, type BreakerSnapshot, type BreakerState } from './circuit-breaker';
export { HealthRegistry, type ModelHealth } from './model-health';
export { RateLimitTracker, type RateLimitState, type RateLimitTrackerOptions } from './rate-limit-tracker';
export { ConcurrencyLimiter, ProviderLimiters, DEFAULT_CLOUD_CONCURRENCY, DEFAULT_LOCAL_CONCURRENCY } from './concurrency-limiter';
export { DEFAULT_RETRY, backoffDelay, canFallBack, isRetryable, type RetryPolicy } from './retry-policy';
export { DEFAULT_TIMEOUTS, LOCAL_COLD_START_MS, resolveTimeouts, type Pool, type TimeoutPolicy, type TimeoutSettings } from './timeouts';
export { realClock, type Clock } from './clock';
