import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../shared/errors';
import { backoffDelay, DEFAULT_RETRY, isRetryable } from './retry-policy';

describe('retry policy', () => {
  it('never retries auth, bad input, over-long context, filtered content or a stop', () => {
    for (const code of ['auth', 'invalid_input', 'context_too_long', 'content_filtered', 'cancelled'] as const) {
      expect(isRetryable(new SwitchboardError(code, 'x', { retryable: true }))).toBe(false);
    }
    expect(isRetryable(new SwitchboardError('network', 'x'))).toBe(true);
  });

  it('backs off with full jitter under a doubling ceiling, never below Retry-After', () => {
    expect(backoffDelay(1, DEFAULT_RETRY, undefined, () => 0.5)).toBe(250);
    expect(backoffDelay(3, DEFAULT_RETRY, undefined, () => 0.5)).toBe(1000);
    expect(backoffDelay(10, DEFAULT_RETRY, undefined, () => 0.999)).toBe(7992);
    expect(backoffDelay(1, DEFAULT_RETRY, 2000, () => 0.1)).toBe(2000);
  });
});
