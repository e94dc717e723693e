import { SwitchboardError } from '../../shared/errors';
import { redactor } from '../secrets/redactor';

/** What a provider extracted from a failed HTTP response (or an in-stream error event). */
export interface HttpFailure {
  /** HTTP status; undefined for an error event inside a 200 stream. */
  status: number | undefined;
  /** Shown to the user: "Groq", "Anthropic", "the endpoint at http://localhost:1234/v1". */
  providerName: string;
  /** The environment variable that holds the key (GROQ_API_KEY), or null for keyless endpoints. */
  keyEnv: string | null;
  /** The provider's machine-readable code (`context_length_exceeded`, `insufficient_quota`, ...). */
  code?: string | null;
  /** The provider's error type (`overloaded_error`, `rate_limit_error`, `server_error`, ...). */
  type?: string | null;
  /** The provider's own message: shown, never branched on here. */
  message: string;
  model?: string;
  baseUrl?: string;
  retryAfterMs?: number;
  requestId?: string | null;
  /** Decided by the provider from its own code or documented message ("prompt is too long"). */
  contextTooLong?: boolean;
}

/** Error `type`s of in-stream error events, by what they mean (OpenAI and Anthropic names). */
const STREAM_TYPES: Record<string, 'unavailable' | 'rate_limited' | 'timeout' | 'auth' | 'invalid_input' | 'model_not_found'> = {
  overloaded_error: 'unavailable',
  api_error: 'unavailable',
  server_error: 'unavailable',
  rate_limit_error: 'rate_limited',
  timeout_error: 'timeout',
  authentication_error: 'auth',
  permission_error: 'auth',
  invalid_request_error: 'invalid_input',
  not_found_error: 'model_not_found',
};

/**
 * Status code → taxonomy, the same for every HTTP provider. Retryable statuses follow the Vercel AI
 * SDK provider spec (408, 409, 429, 5xx) plus Anthropic's 529 "overloaded". The provider's text is
 * masked here, where it enters the app: some providers repeat the key they were sent ("Incorrect
 * API key provided: sk-…"), and the error goes on to the database, the events and the renderer.
 */
export function httpFailureToError(f: HttpFailure): SwitchboardError {
  return redactor.error(mapHttpFailure(f));
}

function mapHttpFailure(f: HttpFailure): SwitchboardError {
  const details: Record<string, unknown> = { provider: f.providerName, status: f.status ?? null, providerMessage: f.message };
  if (f.code) details.providerCode = f.code;
  if (f.type) details.providerType = f.type;
  if (f.requestId) details.requestId = f.requestId;
  if (f.model) details.model = f.model;
  const base = { status: f.status, details };
  const status = f.status;
  const where = f.model ? ` for ${f.model}` : '';

  if (f.contextTooLong) {
    return new SwitchboardError('context_too_long', `The conversation is too long for ${f.model ?? 'this model'} (${f.providerName}): ${f.message}`, base);
  }
  if (status === undefined) {
    const code = (f.type && STREAM_TYPES[f.type]) || 'unavailable';
    if (code === 'auth') return authError(f, base);
    return new SwitchboardError(code, `${f.providerName} failed mid-reply${where}: ${f.message}`, { ...base, retryAfterMs: f.retryAfterMs });
  }
  if (status === 401 || status === 403) return authError(f, base);
  if (status === 402 || f.code === 'insufficient_quota') {
    // Out of credit: waiting will not help, so it is not retryable.
    return new SwitchboardError('budget_exceeded', `${f.providerName} refused the request: the account is out of credit or quota (${status}). ${f.message}`, { ...base, retryable: false });
  }
  if (status === 429) {
    const wait = f.retryAfterMs !== undefined ? ` Try again in ${formatWait(f.retryAfterMs)}.` : '';
    return new SwitchboardError('rate_limited', `${f.providerName} is rate-limiting requests${where} (429).${wait}`, { ...base, retryAfterMs: f.retryAfterMs });
  }
  if (status === 404) {
    const url = f.baseUrl ? `, or the base URL ${f.baseUrl}` : '';
    return new SwitchboardError('model_not_found', `${f.providerName} does not know the model "${f.model ?? '?'}" (404). Check the model id${url}.`, base);
  }
  if (status === 413) {
    return new SwitchboardError('context_too_long', `The request is too large for ${f.providerName} (413): ${f.message}`, base);
  }
  if (status === 408 || status === 409 || status === 529 || status >= 500) {
    return new SwitchboardError('unavailable', `${f.providerName} could not answer${where} (${status}): ${f.message}`, { ...base, retryAfterMs: f.retryAfterMs });
  }
  return new SwitchboardError('invalid_input', `${f.providerName} refused the request${where} (${status}): ${f.message}`, base);
}

function authError(f: HttpFailure, base: { status: number | undefined; details: Record<string, unknown> }): SwitchboardError {
  const status = f.status === undefined ? '' : ` (${f.status})`;
  const fix = f.keyEnv ? `Fix it in Settings → Providers or ${f.keyEnv}.` : 'Check the key in Settings → Providers.';
  const what = f.keyEnv ? `The ${f.providerName} API key` : `The key for ${f.providerName}`;
  return new SwitchboardError('auth', `${what} was rejected${status}. ${fix}`, {
    ...base,
    retryable: false,
    details: { ...base.details, envVar: f.keyEnv },
  });
}

/** The error for a key that is not configured at all. */
export function missingKeyError(providerName: string, keyEnv: string): SwitchboardError {
  return new SwitchboardError('auth', `No ${providerName} API key is set. Add it in Settings → Providers or set ${keyEnv}.`, {
    retryable: false,
    details: { provider: providerName, envVar: keyEnv, missing: true },
  });
}

export function formatWait(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 90_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/**
 * A request that never got a complete HTTP answer: refused or reset sockets, DNS failures, and
 * undici's `TypeError: terminated` when a stream is cut. The `code` of the error or of its causes
 * decides; the message is only shown.
 */
export function transportError(error: unknown, providerName: string): SwitchboardError {
  // Our own fetch refused it (offline mode's guard): keep that error, which says what to do.
  for (let current: unknown = error, i = 0; i < 6 && current; i++, current = (current as { cause?: unknown }).cause) {
    if (current instanceof SwitchboardError) return current;
  }
  const code = causeCode(error);
  // A transport message can carry a URL, and a URL can carry a key (`?key=…`): masked like provider text.
  const message = redactor.text(innermostMessage(error));
  const details = { provider: providerName, cause: code ?? null };
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new SwitchboardError('unavailable', `${providerName} is not reachable (${code}).`, { cause: error, details });
  }
  return new SwitchboardError('network', `The connection to ${providerName} failed: ${message}`, { cause: error, details });
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let i = 0; i < 6 && current; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** "terminated: other side closed": each distinct message down the cause chain. */
function innermostMessage(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let i = 0; i < 6 && current instanceof Error; i++) {
    if (current.message && !messages.includes(current.message)) messages.push(current.message);
    current = current.cause;
  }
  return messages.join(': ') || String(error);
}
