import { serializeError, type ErrorCode } from '../../shared/errors';

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** An error the endpoint answers with: its HTTP status and OpenAI's body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): OpenAiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }

  static invalid(message: string, param: string | null, code: string | null = null): ApiError {
    return new ApiError(400, message, 'invalid_request_error', param, code);
  }

  static unauthorized(message: string): ApiError {
    return new ApiError(401, message, 'invalid_request_error', null, 'invalid_api_key');
  }

  static modelNotFound(model: string, why?: string): ApiError {
    const message = why ?? `The model \`${model}\` does not exist. GET /v1/models lists the models Switchboard can use.`;
    return new ApiError(404, message, 'invalid_request_error', 'model', 'model_not_found');
  }
}

/**
 * Our error codes as OpenAI's status, type and code. Types are OpenAI's own where one fits
 * (`invalid_request_error`, `insufficient_quota`, `server_error`); codes name what happened.
 */
const BY_CODE: Record<ErrorCode, { status: number; type: string; code: string | null }> = {
  invalid_input: { status: 400, type: 'invalid_request_error', code: null },
  not_found: { status: 404, type: 'invalid_request_error', code: 'not_found' },
  conflict: { status: 409, type: 'invalid_request_error', code: 'conflict' },
  auth: { status: 502, type: 'upstream_auth_error', code: 'upstream_auth' },
  rate_limited: { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  timeout: { status: 504, type: 'server_error', code: 'timeout' },
  unavailable: { status: 503, type: 'server_error', code: 'model_unavailable' },
  context_too_long: { status: 400, type: 'invalid_request_error', code: 'context_length_exceeded' },
  model_not_found: { status: 404, type: 'invalid_request_error', code: 'model_not_found' },
  content_filtered: { status: 400, type: 'invalid_request_error', code: 'content_filter' },
  network: { status: 502, type: 'server_error', code: 'upstream_network' },
  offline: { status: 503, type: 'server_error', code: 'offline' },
  budget_exceeded: { status: 429, type: 'insufficient_quota', code: 'budget_exceeded' },
  keychain_unavailable: { status: 503, type: 'server_error', code: 'keychain_unavailable' },
  cancelled: { status: 499, type: 'server_error', code: 'cancelled' },
  internal: { status: 500, type: 'server_error', code: null },
};

/**
 * The request field an error is about. A context overflow is OpenAI's 400 on `messages`
 * (`context_length_exceeded`), which clients shorten instead of retrying, as they would a 503.
 */
const PARAM_BY_CODE: Partial<Record<ErrorCode, string>> = { model_not_found: 'model', context_too_long: 'messages' };

/**
 * Anything thrown or refused, as an ApiError. A provider's rejected key is Switchboard's problem
 * to fix (Settings → API keys), not the client's bearer token, so it is a 502 and never a 401.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const e = serializeError(error);
  const m = BY_CODE[e.code];
  return new ApiError(m.status, e.message, m.type, PARAM_BY_CODE[e.code] ?? null, m.code);
}
