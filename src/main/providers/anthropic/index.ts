export { AnthropicProvider, ANTHROPIC_DEFAULT_BASE_URL, type AnthropicProviderOptions } from './anthropic-provider';
export { toAnthropicError } from './anthropic-errors';
export { minCacheableTokens, toAnthropicPrompt, type AnthropicPrompt } from './prompt-cache';
