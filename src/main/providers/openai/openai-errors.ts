import { SwitchboardError, isAbortError } from '../../../shared/errors';
import { httpFailureToError, transportError } from '../http-errors';
import { retryAfterMs } from '../retry-after';
import type { OpenAICompatiblePreset } from './presets';
import { loadedOpenAISdk } from './sdk';

export interface OpenAIErrorContext {
  preset: OpenAICompatiblePreset;
  baseUrl: string;
  model?: string;
}

interface OpenAIErrorBody {
  message?: unknown;
  code?: unknown;
  type?: unknown;
}

/**
 * Maps what the `openai` SDK throws into the taxonomy: by class and status first, then by the
 * body's `code` (`context_length_exceeded`, `insufficient_quota`). The message is read only for the
 * context-length case on servers that send no code, and for Groq's "try again in" hint.
 */
export function toOpenAIError(error: unknown, ctx: OpenAIErrorContext): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  // The SDK loads before its first request, so an error it threw finds it loaded.
  const sdk = loadedOpenAISdk();
  if ((sdk && error instanceof sdk.APIUserAbortError) || isAbortError(error)) {
    return new SwitchboardError('cancelled', 'The request was stopped.', { cause: error });
  }
  if (sdk && error instanceof sdk.APIConnectionTimeoutError) {
    return new SwitchboardError('timeout', `${ctx.preset.displayName} did not answer in time.`, { cause: error });
  }
  if (sdk && error instanceof sdk.APIConnectionError) return transportError(error.cause ?? error, ctx.preset.displayName);
  if (sdk && error instanceof sdk.APIError) {
    const body = (error.error ?? {}) as OpenAIErrorBody;
    const code = typeof error.code === 'string' ? error.code : typeof body.code === 'string' ? body.code : null;
    const message = typeof body.message === 'string' ? body.message : error.message;
    return httpFailureToError({
      status: error.status,
      providerName: ctx.preset.displayName,
      keyEnv: ctx.preset.keyEnv,
      code,
      type: error.type ?? (typeof body.type === 'string' ? body.type : null),
      message,
      model: ctx.model,
      baseUrl: ctx.baseUrl,
      requestId: error.requestID,
      retryAfterMs: retryAfterMs(error.headers, error.error),
      contextTooLong: isContextTooLong(error.status, code, message),
    });
  }
  return transportError(error, ctx.preset.displayName);
}

/**
 * OpenAI and Groq send `code: "context_length_exceeded"`. Servers without a code (vLLM, llama.cpp,
 * some OpenRouter upstreams) only say it in words, so the words decide only when no code does.
 */
function isContextTooLong(status: number | undefined, code: string | null, message: string): boolean {
  if (code === 'context_length_exceeded' || code === 'string_above_max_length') return true;
  if (code && code !== 'invalid_request_error') return false;
  return (status === 400 || status === 413) && /maximum context length|context[_ ]length|context window|prompt is too long|too many tokens/i.test(message);
}
