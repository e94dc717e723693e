import type { Message } from '../../shared/contract';
import { SwitchboardError, serializeError, type SerializedError } from '../../shared/errors';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../logger';
import type { ProviderRegistry } from '../providers/registry';
import type { CascadeEvent, RouterService } from '../router';
import type { RouteInputs } from '../routing/route-inputs';
import type { ConversationsRepo, MessagesRepo } from '../store';
import { isRoutingMode, modeFor } from './chat-modes';

export const DEFAULT_CONVERSATION_TITLE = 'New chat';
/** How often streamed text is written to SQLite: a crash loses at most this much of a reply. */
const FLUSH_INTERVAL_MS = 250;

export interface ChatServiceDeps {
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  providers: ProviderRegistry;
  /** Every reply is routed: analysis, policy, budget, cascade with gates, decision record. */
  router: RouterService;
  routeInputs: RouteInputs;
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
 * model is called; the router picks the model (or checks the one chosen) and runs the cascade;
 * tokens are streamed to the renderer and flushed to SQLite as they come; an escalation restarts
 * the text and says why; the row ends as complete, error or cancelled with whatever text arrived.
 */
export class ChatService {
  private readonly running = new Map<string, RunningReply>();
  private readonly now: () => number;

  constructor(private readonly deps: ChatServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async send(input: { conversationId: string; content: string; model: string }): Promise<{ userMessage: Message; assistantMessage: Message }> {
    const { conversations, messages, events, providers } = this.deps;
    const conversation = conversations.get(input.conversationId);
    if (!conversation) throw new SwitchboardError('not_found', 'That conversation no longer exists.');
    // A typo or a switched-off provider is the user's to fix: refuse before anything is stored.
    if (!isRoutingMode(input.model)) providers.resolve(input.model);

    const now = this.now();
    const chosen = isRoutingMode(input.model) ? null : input.model;
    const [userMessage, assistantMessage] = messages.insertMany(
      [
        { conversationId: conversation.id, role: 'user', content: input.content, modelId: null, status: 'complete' },
        { conversationId: conversation.id, role: 'assistant', content: '', modelId: chosen, status: 'streaming', startedAt: now },
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

    const controller = new AbortController();
    const done = this.reply(assistantMessage, input.model, controller.signal)
      .catch((error: unknown) => this.deps.logger.error('reply crashed', { error, messageId: assistantMessage.id }))
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

  private async reply(message: Message, model: string, signal: AbortSignal): Promise<void> {
    const { messages, events, router, routeInputs } = this.deps;
    const history = messages
      .listByConversation(message.conversationId)
      .filter((m) => m.id !== message.id && m.content.length > 0 && (m.role !== 'assistant' || m.status !== 'error'))
      .map((m) => ({ id: m.id, role: m.role, content: m.content }));
    let content = '';
    let firstTokenAt: number | null = null;
    let lastFlush = this.now();
    let escalationReason: string | null = null;

    const onEvent = (event: CascadeEvent): void => {
      if (event.type === 'attempt-start') {
        // A new attempt replaces the text of the one the gates rejected.
        if (event.attempt > 1 || content) {
          content = '';
          messages.saveProgress(message.id, '', null, true);
        }
        messages.setModel(message.id, event.model);
        events.emit('chat.attempt', {
          conversationId: message.conversationId,
          messageId: message.id,
          attempt: event.attempt,
          model: event.model,
          tier: event.tier,
          reason: escalationReason,
        });
      } else if (event.type === 'delta') {
        if (firstTokenAt === null) firstTokenAt = this.now();
        content += event.text;
        events.emit('chat.delta', { conversationId: message.conversationId, messageId: message.id, text: event.text });
        if (this.now() - lastFlush >= FLUSH_INTERVAL_MS) {
          messages.saveProgress(message.id, content, firstTokenAt);
          lastFlush = this.now();
        }
      } else if (event.type === 'escalate') {
        escalationReason = `${event.from} did not pass: ${event.reason}`;
      }
    };

    let status: 'complete' | 'error' | 'cancelled' = 'complete';
    let error: SerializedError | null = null;
    let usage: { inputTokens: number; outputTokens: number } | null = null;
    try {
      await routeInputs.refresh();
      const problem = isRoutingMode(model) ? null : routeInputs.localProblem(model);
      if (problem) throw problem;
      const outcome = await router.route({ conversationId: message.conversationId, messages: history, mode: modeFor(model), messageId: message.id, signal, onEvent, deltas: 'live' });
      const kept = outcome.result?.attempts.find((a) => a.model === outcome.result?.model && a.passed) ?? outcome.result?.attempts.at(-1);
      if (kept?.usage) usage = kept.usage;
      if (outcome.result) content = outcome.result.text || content;
      if (signal.aborted) status = 'cancelled';
      else if (outcome.error || !outcome.result?.ok) {
        status = 'error';
        error = outcome.error ? serializeError(outcome.error) : (outcome.result?.failure ?? { code: 'internal', message: 'No model produced a reply.', retryable: true });
        if (error.code === 'cancelled') status = 'cancelled';
      }
    } catch (caught) {
      status = signal.aborted ? 'cancelled' : 'error';
      error = serializeError(caught);
    }
    if (status === 'cancelled') error = { code: 'cancelled', message: 'Stopped by you.', retryable: true };
    const finished = messages.finish(message.id, {
      status,
      content,
      error,
      firstTokenAt,
      finishedAt: this.now(),
      promptTokens: usage?.inputTokens ?? null,
      completionTokens: usage?.outputTokens ?? null,
    });
    if (status === 'error') this.deps.logger.warn('reply failed', { messageId: message.id, code: error?.code });
    if (finished) events.emit('chat.message', { message: finished });
  }
}

function titleFrom(content: string): string {
  const line = content.replace(/\s+/g, ' ').trim();
  return line.length <= 60 ? line : `${line.slice(0, 57).trimEnd()}…`;
}
