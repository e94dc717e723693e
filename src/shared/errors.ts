import { z } from 'zod';

/**
 * The error taxonomy that the UI, the router and the reliability layer act on.
 * Callers branch on `code` and `retryable`, never on a message string.
 */
export const ErrorCode = z.enum([
  'invalid_input',
  'not_found',
  'conflict',
  'auth',
  'rate_limited',
  'timeout',
  'unavailable',
  'context_too_long',
  'model_not_found',
  'content_filtered',
  'network',
  'offline',
  'budget_exceeded',
  'keychain_unavailable',
  'cancelled',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** What crosses a process or network boundary: never a stack trace. */
export const SerializedError = z.object({
  code: ErrorCode,
  message: z.string(),
  retryable: z.boolean(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type SerializedError = z.infer<typeof SerializedError>;

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'rate_limited',
  'timeout',
  'unavailable',
  'network',
]);

export interface SwitchboardErrorOptions {
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
  /** Milliseconds the server asked us to wait before retrying (Retry-After and friends). */
  retryAfterMs?: number;
  /** HTTP status from the upstream, when there was one. */
  status?: number;
}

export class SwitchboardError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details?: Record<string, unknown>;
  readonly retryAfterMs?: number;
  readonly status?: number;

  constructor(code: ErrorCode, message: string, options: SwitchboardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SwitchboardError';
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.details = options.details;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }

  toJSON(): SerializedError {
    return serializeError(this);
  }
}

export function isSwitchboardError(value: unknown): value is SwitchboardError {
  return value instanceof SwitchboardError;
}

/** True when the error (or anything it wraps) is an abort. */
export function isAbortError(error: unknown): boolean {
  if (error instanceof SwitchboardError) return error.code === 'cancelled';
  if (error instanceof Error) {
    return error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR';
  }
  return false;
}

/** Turns anything thrown into the wire shape. Unknown errors become `internal` with their message only. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof SwitchboardError) {
    const out: SerializedError = { code: error.code, message: error.message, retryable: error.retryable };
    if (error.details !== undefined) out.details = error.details;
    return out;
  }
  if (isAbortError(error)) return { code: 'cancelled', message: 'The operation was cancelled.', retryable: false };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: message || 'Unexpected error', retryable: false };
}

export function deserializeError(error: SerializedError): SwitchboardError {
  return new SwitchboardError(error.code, error.message, { retryable: error.retryable, details: error.details });
}
