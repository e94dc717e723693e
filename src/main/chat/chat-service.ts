import type { Message } from '../../shared/contract';
import { SwitchboardError, isAbortError, serializeError } from '../../shared/errors';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../logger';
import type { ProviderRegistry } from '../providers/registry';
import type { ChatMessage, StreamPart, Usage } from '../providers/types';
import type { ConversationsRepo, MessagesRepo } from '../store';

export const DEFAULT_CONVERSATION_TITLE = 'New chat';
/** How often streamed text is written to SQLite: a crash loses at most this much of a reply. */
const FLUSH_INTERVAL_MS = 250;

export interface ChatServiceDeps {
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  providers: ProviderRegistry;
  events: EventBus;
  logger: Logger;
  now?: () => number;
}

interface RunningReply {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * One chat turn: the user's message and an empty `streaming` assistant row are stored before any
 * model is called; tokens are streamed to the renderer and flushed to SQLite as they come; the row
 * ends as complete, error or cancelled with whatever text arrived. Nothing is silently lost.
 */
export class ChatService {
  private readonly running = new Map<string, RunningReply>();
  private readonly now: () => number;

  constructor(private readonly deps: ChatServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async send(input: { conversationId: string; content: string; model: string }): Promise<{
    userMessage: Message;
    assistantMessage: Message;
  }> {
    const { conversations, messages, events, providers } = this.deps;
    const conversation = conversations.get(input.conversationId);
    if (!conversation) throw new SwitchboardError('not_found', 'That conversation no longer exists.');
    // Validate the model id before anything is stored: a typo is the user's to fix, not a failed reply.
    const { provider, model } = providers.resolve(input.model);

    const now = this.now();
    const [userMessage, assistantMessage] = messages.insertMany(
      [
        { conversationId: conversation.id, role: 'user', content: input.content, modelId: null, status: 'complete' },
        { conversationId: conversation.id, role: 'assistant', content: '', modelId: input.model, status: 'streaming', startedAt: now },
      ],
      now,
    ) as [Message, Message];
    if (conversation.messageCount === 0 && conversation.title === DEFAULT_CONVERSATION_TITLE) {
      conversations.rename(conversation.id, titleFrom(input.content), now);
    }
    conversations.touch(conversation.id, input.model, now);
    events.emit('chat.message', { message: userMessage });
    events.emit('chat.message', { message: assistantMessage });
    events.emit('conversations.changed', { conversation: conversations.get(conversation.id) });

    const history = this.historyFor(conversation.id, assistantMessage.id);
    const controller = new AbortController();
    const done = this.stream(assistantMessage, provider.streamChat({ model, messages: history, signal: controller.signal }), controller.signal)
      .catch((error: unknown) => this.deps.logger.error('reply stream crashed', { error, messageId: assistantMessage.id }))
      .finally(() => this.running.delete(assistantMessage.id));
    this.running.set(assistantMessage.id, { controller, done });
    return { userMessage, assistantMessage };
  }

  /** Stops a reply that is streaming: aborts its HTTP request and keeps the text so far. */
  stop(messageId: string): boolean {
    const reply = this.running.get(messageId);
    if (!reply) return false;
    reply.controller.abort();
    return true;
  }

  /** Stops a reply and resolves once its row holds its final status. */
  async stopAndWait(messageId: string): Promise<void> {
    const reply = this.running.get(messageId);
    if (!reply) return;
    reply.controller.abort();
    await reply.done;
  }

  isRunning(messageId: string): boolean {
    return this.running.has(messageId);
  }

  /** Resolves when no reply is streaming (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Aborts every reply and waits until each row has its final status. */
  async dispose(): Promise<void> {
    for (const reply of this.running.values()) reply.controller.abort();
    await this.idle();
  }

  private historyFor(conversationId: string, excludeId: string): ChatMessage[] {
    return this.deps.messages
      .listByConversation(conversationId)
      .filter((m) => m.id !== excludeId && m.content.length > 0 && (m.role !== 'assistant' || m.status !== 'error'))
      .map((m) => ({ role: m.role, content: m.content }));
  }

  private async stream(message: Message, parts: AsyncIterable<StreamPart>, signal: AbortSignal): Promise<void> {
    const { messages, events } = this.deps;
    let content = '';
    let firstTokenAt: number | null = null;
    let usage: Usage | null = null;
    let lastFlush = this.now();
    let outcome: { status: 'complete' } | { status: 'error' | 'cancelled'; error: SwitchboardError } = {
      status: 'complete',
    };
    try {
      for await (const part of parts) {
        if (part.type === 'text-delta') {
          if (firstTokenAt === null) firstTokenAt = this.now();
          content += part.text;
          events.emit('chat.delta', { conversationId: message.conversationId, messageId: message.id, text: part.text });
          if (this.now() - lastFlush >= FLUSH_INTERVAL_MS) {
            messages.saveProgress(message.id, content, firstTokenAt);
            lastFlush = this.now();
          }
        } else if (part.type === 'usage') {
          usage = part.usage;
        } else if (part.type === 'error') {
          outcome = { status: part.error.code === 'cancelled' ? 'cancelled' : 'error', error: part.error };
          break;
        }
      }
      if (signal.aborted && outcome.status === 'complete') {
        outcome = { status: 'cancelled', error: new SwitchboardError('cancelled', 'Stopped by you.') };
      }
    } catch (error) {
      outcome = isAbortError(error) || signal.aborted
        ? { status: 'cancelled', error: new SwitchboardError('cancelled', 'Stopped by you.') }
        : { status: 'error', error: error instanceof SwitchboardError ? error : new SwitchboardError('internal', serializeError(error).message) };
    }
    if (outcome.status === 'cancelled') outcome.error = new SwitchboardError('cancelled', 'Stopped by you.', { retryable: true });
    const finished = messages.finish(message.id, {
      status: outcome.status,
      content,
      error: outcome.status === 'complete' ? null : serializeError(outcome.error),
      firstTokenAt,
      finishedAt: this.now(),
      promptTokens: usage?.inputTokens ?? null,
      completionTokens: usage?.outputTokens ?? null,
    });
    if (outcome.status === 'error') {
      this.deps.logger.warn('reply failed', { messageId: message.id, model: message.modelId, code: outcome.error.code });
    }
    if (finished) events.emit('chat.message', { message: finished });
  }
}

function titleFrom(content: string): string {
  const line = content.replace(/\s+/g, ' ').trim();
  return line.length <= 60 ? line : `${line.slice(0, 57).trimEnd()}…`;
}
