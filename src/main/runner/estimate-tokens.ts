import type { ChatMessage, Usage } from './chat-provider';

/**
 * A tokenizer-free estimate, for providers that report no usage and for cache-threshold decisions.
 * OpenAI's rule of thumb is "1 token ≈ 4 characters ≈ ¾ of a word" in English
 * (help.openai.com, "What are tokens and how to count them?"). Characters alone undercount text
 * with many short words and code symbols; words alone undercount long identifiers. The mean of the
 * two estimates stays closer on both, and never goes below the character estimate for dense text
 * (long numbers, base64), where word counts collapse.
 */
export function estimateTextTokens(text: string): number {
  if (!text) return 0;
  const byChars = text.length / 4;
  const words = text.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu)?.length ?? 0;
  const byWords = words * (4 / 3);
  return Math.ceil(Math.max(byChars, (byChars + byWords) / 2));
}

/**
 * Chat framing per message and reply priming, from OpenAI's cookbook "How to count tokens with
 * tiktoken" (tokens_per_message = 3, every reply is primed with 3 tokens).
 */
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((n, m) => n + TOKENS_PER_MESSAGE + estimateTextTokens(m.content), REPLY_PRIMING);
}

/** Usage when the provider reported none: marked `estimated` so reports can say so. */
export function estimateUsage(messages: readonly ChatMessage[], output: string): Usage {
  return { inputTokens: estimatePromptTokens(messages), outputTokens: estimateTextTokens(output), estimated: true };
}
