import { SwitchboardError, isAbortError } from '../../../shared/errors';
import { httpFailureToError, transportError } from '../http-errors';
import { retryAfterMs } from '../retry-after';
import { loadedAnthropicSdk } from './sdk';

export const ANTHROPIC_NAME = 'Anthropic';
export const ANTHROPIC_KEY_ENV = 'ANTHROPIC_API_KEY';

/**
 * Maps what `@anthropic-ai/sdk` throws into the taxonomy: status and `error.type` decide (529
 * `overloaded_error` → unavailable). The API has no code for an over-long prompt; it documents
 * the 400 "prompt is too long: N tokens > M maximum", so that message is the one words test.
 */
export function toAnthropicError(error: unknown, model?: string, baseUrl?: string): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  // The SDK loads before its first request, so an error it threw finds it loaded.
  const sdk = loadedAnthropicSdk();
  if ((sdk && error instanceof sdk.APIUserAbortError) || isAbortError(error)) {
    return new SwitchboardError('cancelled', 'The request was stopped.', { cause: error });
  }
  if (sdk && error instanceof sdk.APIConnectionTimeoutError) {
    return new SwitchboardError('timeout', `${ANTHROPIC_NAME} did not answer in time.`, { cause: error });
  }
  if (sdk && error instanceof sdk.APIConnectionError) return transportError(error.cause ?? error, ANTHROPIC_NAME);
  if (sdk && error instanceof sdk.APIError) {
    const message = error.apiMessage ?? error.message;
    return httpFailureToError({
      status: error.status,
      providerName: ANTHROPIC_NAME,
      keyEnv: ANTHROPIC_KEY_ENV,
      code: error.errorCode,
      type: error.type,
      message,
      model,
      baseUrl,
      requestId: error.requestID,
      retryAfterMs: retryAfterMs(error.headers, error.error),
      contextTooLong: error.status === 400 && error.type === 'invalid_request_error' && /prompt is too long/i.test(message),
    });
  }
  return transportError(error, ANTHROPIC_NAME);
}
