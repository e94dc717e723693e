import type { CacheSettings } from './cache-settings';
import type { CacheRequest, StoreRequest } from './types';

/**
 * Which requests may use the cache, and which replies may fill it (issue #6). Each rule returns
 * the reason it refused, in words, or undefined. Lookup and store share the request rules, so an
 * answer is never stored for a request that could not look it up, nor served to one that could
 * not have stored it.
 */
export function requestIneligibility(
  request: CacheRequest,
  settings: CacheSettings,
  /** The temperature actually applied: undefined = params.temperature, null = the provider's default. */
  temperature?: number | null,
): string | undefined {
  if (request.bypass) return 'bypassed: this conversation opted out of the cache';
  if (request.toolResults || request.messages.some((m) => m.role === 'tool')) {
    return 'not cacheable: the conversation has tool results (the answer depends on live data)';
  }
  if (!request.messages.some((m) => m.role === 'user')) return 'not cacheable: no user message';
  const t = temperature === undefined ? request.params?.temperature : temperature;
  if (t === undefined || t === null) {
    // The provider default (0.8 for Ollama, 1.0 for OpenAI and Anthropic) samples: one draw among many.
    return `not cacheable: temperature unset (provider default); set one at or below ${settings.maxTemperature}`;
  }
  if (t > settings.maxTemperature) return `not cacheable: temperature ${t} is above ${settings.maxTemperature}`;
  return undefined;
}

export function storeIneligibility(request: StoreRequest, settings: CacheSettings): string | undefined {
  if (request.outcome !== 'complete') return `not stored: the reply is ${request.outcome}`;
  if (request.gatesPassed !== true) return 'not stored: the reply did not pass the quality gates';
  if (request.text.trim() === '') return 'not stored: the reply is empty';
  return requestIneligibility(request, settings, request.temperature);
}
