import { describe, expect, it } from 'vitest';
import { callMetrics, costOf, estimatePromptTokens, estimateTextTokens, percentile } from './index';

describe('token estimate', () => {
  it('is about chars/4 for prose, more for short-word or symbol-heavy text', () => {
    expect(estimateTextTokens('')).toBe(0);
    const prose = 'The quick brown fox jumps over the lazy dog near the riverbank today.';
    expect(estimateTextTokens(prose)).toBeGreaterThanOrEqual(Math.ceil(prose.length / 4));
    expect(estimateTextTokens(prose)).toBeLessThan(prose.length / 2.5);
    expect(estimateTextTokens('a = b + c; d = e * f;')).toBeGreaterThan(Math.ceil('a = b + c; d = e * f;'.length / 4));
    expect(estimatePromptTokens([{ role: 'user', content: 'hi' }])).toBe(3 + 3 + estimateTextTokens('hi'));
  });
});

describe('cost', () => {
  const sonnet = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
  it('prices uncached input, cache reads, cache writes and output at their own rates', () => {
    const usage = { inputTokens: 10_000, cachedInputTokens: 8_000, cacheWriteTokens: 1_000, outputTokens: 500, estimated: false };
    expect(costOf(usage, sonnet, 'paid')).toBeCloseTo((1_000 * 3 + 8_000 * 0.3 + 1_000 * 3.75 + 500 * 15) / 1e6, 12);
  });
  it('bills cache tokens as input when the model has no cache price, and free or local tiers as 0', () => {
    const usage = { inputTokens: 1_000, cachedInputTokens: 600, outputTokens: 0, estimated: false };
    expect(costOf(usage, { input: 1, output: 2 }, 'paid')).toBeCloseTo(1_000 / 1e6, 12);
    expect(costOf(usage, sonnet, 'free')).toBe(0);
    expect(costOf(usage, sonnet, 'local')).toBe(0);
    expect(costOf(usage, null, 'paid')).toBe(0);
  });
});

describe('call metrics', () => {
  it('derives latency, time to first token and tokens per second', () => {
    expect(callMetrics({ startedAt: 0, firstTokenAt: 200, endedAt: 1200 }, 50)).toEqual({ latencyMs: 1200, ttftMs: 200, tokensPerSecond: 50 });
    expect(callMetrics({ startedAt: 0, firstTokenAt: null, endedAt: 300 }, 0)).toEqual({ latencyMs: 300, ttftMs: null, tokensPerSecond: null });
  });
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});
