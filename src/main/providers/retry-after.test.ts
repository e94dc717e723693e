import { describe, expect, it } from 'vitest';
import { httpFailureToError } from './http-errors';
import { parseDurationMs, parseResetAt, retryAfterFromBody, retryAfterFromHeaders } from './retry-after';

describe('Retry-After and friends', () => {
  it('parses Go-style durations as OpenAI and Groq send them', () => {
    expect(parseDurationMs('6ms')).toBe(6);
    expect(parseDurationMs('7.66s')).toBe(7660);
    expect(parseDurationMs('2m59.56s')).toBe(179_560);
    expect(parseDurationMs('1h2m3s')).toBe(3_723_000);
    expect(parseDurationMs('12')).toBe(12_000);
    expect(parseDurationMs('soon')).toBeNull();
  });

  it('reads retry-after-ms first, then retry-after as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-14T10:00:00Z');
    expect(retryAfterFromHeaders(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), now)).toBe(1500);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': 'Wed, 14 Jan 2026 10:00:30 GMT' }), now)).toBe(30_000);
    expect(retryAfterFromHeaders(new Headers({}), now)).toBeNull();
  });

  it('finds hints in bodies: "try again in", retryDelay, retry_after', () => {
    expect(retryAfterFromBody({ error: { message: 'Limit 6000, Used 5879. Please try again in 1.5s. Visit …' } })).toBe(1500);
    expect(retryAfterFromBody({ error: { message: 'Please try again in 2m30.5s.' } })).toBe(150_500);
    expect(retryAfterFromBody({ error: { metadata: { raw: { error: { details: [{ retryDelay: '23s' }] } } } } })).toBe(23_000);
    expect(retryAfterFromBody({ error: { retry_after: 4 } })).toBe(4000);
    expect(retryAfterFromBody({ error: { metadata: { raw: JSON.stringify({ error: { details: [{ retryDelay: '9s' }] } }) } } })).toBe(9000);
    expect(retryAfterFromBody({ error: { message: 'nothing here' } })).toBeNull();
  });

  it('reads reset times as durations or RFC 3339', () => {
    expect(parseResetAt('6m0s', 1000)).toBe(361_000);
    expect(parseResetAt('2026-01-14T10:01:00Z', 0)).toBe(Date.parse('2026-01-14T10:01:00Z'));
  });
});

describe('status mapping', () => {
  const map = (status: number | undefined, extra: Partial<Parameters<typeof httpFailureToError>[0]> = {}) =>
    httpFailureToError({ status, providerName: 'Groq', keyEnv: 'GROQ_API_KEY', message: 'm', ...extra });

  it('maps statuses to the taxonomy with retryable by status', () => {
    expect(map(401)).toMatchObject({ code: 'auth', retryable: false });
    expect(map(403).message).toBe('The Groq API key was rejected (403). Fix it in Settings → Providers or GROQ_API_KEY.');
    expect(map(429, { retryAfterMs: 1500 })).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 1500 });
    for (const status of [408, 409, 500, 502, 503, 529]) expect(map(status)).toMatchObject({ code: 'unavailable', retryable: true });
    expect(map(404, { model: 'x' })).toMatchObject({ code: 'model_not_found', retryable: false });
    expect(map(400, { contextTooLong: true })).toMatchObject({ code: 'context_too_long', retryable: false });
    expect(map(422)).toMatchObject({ code: 'invalid_input', retryable: false });
    expect(map(undefined, { type: 'overloaded_error' })).toMatchObject({ code: 'unavailable', retryable: true });
  });
});
