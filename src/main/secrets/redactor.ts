import { SwitchboardError } from '../../shared/errors';

/** What a masked secret becomes. */
export const REDACTED = '[REDACTED]';

/** Shorter values would mask ordinary words; no provider issues keys this short. */
const MIN_SECRET_LENGTH = 6;

// Provider key shapes, masked whole: OpenAI sk- (and sk-proj-), Anthropic sk-ant-, OpenRouter
// sk-or-, Groq gsk_.
const KEY_SHAPES: RegExp[] = [/\bsk-ant-[A-Za-z0-9_-]{8,}/g, /\bsk-or-[A-Za-z0-9_-]{8,}/g, /\bsk-[A-Za-z0-9_-]{12,}/g, /\bgsk_[A-Za-z0-9]{12,}/g];

// A credential after its label: the label is kept, the value masked. Bearer headers, `key=value`
// pairs, and a long opaque run (20+ base64/hex/url-safe characters with a digit in it) after a
// word that names a credential, as in "Incorrect API key provided: 8f3a…".
const LABELLED: RegExp[] = [
  /(Bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi,
  /((?:api[_-]?key|token|authorization|x-api-key)["']?\s*[:=]\s*["']?(?:Bearer\s+)?)[^"'\s,}]{6,}/gi,
  /(\b(?:api[_ -]?key|key|token|secret|password|credential)s?(?:\s+provided)?\s*(?:[:=]|\bis\b)?\s*["'`]?)(?=[A-Za-z0-9+/_-]*\d)[A-Za-z0-9+/_-]{20,}=*/gi,
];

/**
 * The one place secrets are masked (issue #16, item 1). Provider text enters the app through the
 * provider error mappers (providers/http-errors.ts, providers/ollama/ollama-errors.ts), which pass
 * every message and detail through here, so the stores, the logs, the events and the RPC answers
 * downstream only ever hold masked text; the logger and the CLI's error line apply it once more on
 * the way out. It masks every secret the SecretStore has seen (keychain and environment keys, the
 * API and page tokens) and anything shaped like a key.
 */
export class Redactor {
  /** Longest first, so a secret that contains another is masked whole. */
  private secrets: string[] = [];

  /**
   * Remembers a secret so it is masked wherever it appears. A replaced or deleted key stays
   * known: an old key is still a key, and old text may still repeat it.
   */
  add(secret: string | null | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return;
    const forms = [secret, encodeURIComponent(secret)].filter((s) => !this.secrets.includes(s));
    if (forms.length === 0) return;
    this.secrets = [...this.secrets, ...forms].sort((a, b) => b.length - a.length);
  }

  text(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const pattern of KEY_SHAPES) out = out.replace(pattern, REDACTED);
    for (const pattern of LABELLED) out = out.replace(pattern, `$1${REDACTED}`);
    return out;
  }

  /** Every string inside a JSON-like value (an error's details), masked; other values kept. */
  value<T>(value: T): T {
    return this.deep(value, 0) as T;
  }

  /** The same error with its message and details masked (code, retryability, status and cause kept). */
  error(error: SwitchboardError): SwitchboardError {
    return new SwitchboardError(error.code, this.text(error.message), {
      retryable: error.retryable,
      details: error.details === undefined ? undefined : this.value(error.details),
      cause: error.cause,
      retryAfterMs: error.retryAfterMs,
      status: error.status,
    });
  }

  private deep(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.text(value);
    if (depth > 8 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.deep(v, depth + 1));
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.deep(v, depth + 1)]));
  }
}

/**
 * The process's Redactor. One per process, not one per app: secrets belong to the process (its
 * environment, the OS keychain), and the logger, the provider error mappers and the CLI, which
 * all mask with it, are reached from places no app instance is passed to.
 */
export const redactor = new Redactor();
