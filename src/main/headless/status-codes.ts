import type { ErrorCode } from '../../shared/errors';

/** HTTP status for an error envelope; the body always carries the typed `{ code, message, retryable }`. */
export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  auth: 401,
  rate_limited: 429,
  timeout: 504,
  unavailable: 503,
  context_too_long: 413,
  model_not_found: 404,
  content_filtered: 422,
  network: 502,
  offline: 503,
  budget_exceeded: 429,
  keychain_unavailable: 503,
  cancelled: 499,
  internal: 500,
};
