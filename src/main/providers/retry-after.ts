/**
 * How long a server asked us to wait, from headers and error bodies. Used by the providers when they
 * map a 429/503 to the taxonomy (`retryAfterMs`) and by the rate-limit tracker for `reset` headers.
 */

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * Go-style durations as OpenAI and Groq write them ("6ms", "7.66s", "2m59.56s", "1h2m3s"), or a bare
 * number of seconds. Null when the text is neither.
 */
export function parseDurationMs(text: string): number | null {
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(parseFloat(value) * 1000);
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) return null;
  let total = 0;
  for (const [, amount, unit] of parts) total += parseFloat(amount ?? '0') * (UNIT_MS[unit ?? 's'] ?? 1000);
  return Math.round(total);
}

/**
 * `retry-after-ms` (milliseconds; OpenAI sends it and its SDK reads it first), then `retry-after`
 * (RFC 9110 §10.2.3: delay-seconds or an HTTP-date). Null when neither is there or parses.
 */
export function retryAfterFromHeaders(headers: Headers | undefined | null, now = Date.now()): number | null {
  if (!headers) return null;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Math.round(Number(ms)));
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(after)) return Math.max(0, Math.round(parseFloat(after) * 1000));
  const date = Date.parse(after);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Hints inside an error body: Groq's and OpenAI's "Please try again in 1.5s" (in `error.message`),
 * Google's RetryInfo `retryDelay: "23s"` (passed through by OpenRouter), or a numeric
 * `retry_after` / `retryAfter` in seconds.
 */
export function retryAfterFromBody(body: unknown): number | null {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') {
    const match = /try again in\s+((?:\d+(?:\.\d+)?(?:ms|h|m|s))+)/i.exec(body);
    if (match?.[1]) return parseDurationMs(match[1]);
    // OpenRouter passes the upstream's error body as a JSON string in `error.metadata.raw`.
    return body.trimStart().startsWith('{') ? retryAfterFromBody(safeJson(body)) : null;
  }
  if (typeof body !== 'object') return null;
  const seen = new Set<unknown>();
  const visit = (node: unknown, depth: number): number | null => {
    if (depth > 8 || node === null || typeof node !== 'object' || seen.has(node)) return null;
    seen.add(node);
    const record = node as Record<string, unknown>;
    for (const key of ['retry_after', 'retryAfter']) {
      const v = record[key];
      if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1000);
    }
    if (typeof record.retryDelay === 'string') {
      const d = parseDurationMs(record.retryDelay);
      if (d !== null) return d;
    }
    for (const value of Object.values(record)) {
      const found = typeof value === 'string' ? retryAfterFromBody(value) : visit(value, depth + 1);
      if (found !== null) return found;
    }
    return null;
  };
  return visit(body, 0);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Headers first (the server's word), then the body's hint. */
export function retryAfterMs(headers: Headers | undefined | null, body: unknown, now = Date.now()): number | undefined {
  return retryAfterFromHeaders(headers, now) ?? retryAfterFromBody(body) ?? undefined;
}

/**
 * When a rate-limit window resets: a duration (`x-ratelimit-reset-*`: "6m0s") or an RFC 3339 time
 * (`anthropic-ratelimit-*-reset`). Returns an epoch ms, or null.
 */
export function parseResetAt(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const duration = parseDurationMs(value);
  if (duration !== null) return now + duration;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : date;
}
