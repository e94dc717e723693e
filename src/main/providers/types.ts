/**
 * The provider interface moved down to runner/chat-provider.ts (issue #10: providers and runner
 * imported each other). This re-export keeps the callers other work is editing compiling; new code
 * imports from runner/chat-provider, and this file goes once nothing imports it.
 */
export type {
  ChatMessage,
  ChatOptions,
  ChatProvider,
  ChatRequest,
  EmbedRequest,
  FinishReason,
  RateLimitObserver,
  StreamPart,
  Usage,
} from '../runner/chat-provider';
