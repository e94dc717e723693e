import { pathTo } from '../../shared/chat-branch';
import type { Conversation, Message, PreparedAttachment, Tier } from '../../shared/contract';
import { SwitchboardError, serializeError, type SerializedError } from '../../shared/errors';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../logger';
import type { ProviderRegistry } from '../providers/registry';
import { AUTO_MODEL_ID, LOCAL_MODEL_ID, isRoutingMode, type AnswerPipeline } from '../answer';
import type { CacheHit } from '../cache';
import type { CascadeEvent, ConversationMessage } from '../router';
import type { ConversationsRepo, MessagesRepo } from '../store';

export const DEFAULT_CONVERSATION_TITLE = 'New chat';
/** How often streamed text is written to SQLite: a crash loses at most this much of a reply. */
const FLUSH_INTERVAL_MS = 250;

export interface ChatServiceDeps {
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  providers: ProviderRegistry;
  /** Every reply is an answer of the pipeline: cache, routing, budget, cascade with gates, records. */
  pipeline: AnswerPipeline;
  events: EventBus;
  logger: Logger;
  /** Settings' `chatTemperature`, read per reply (lower = more consistent and cacheable). */
  temperature?: () => number;
  now?: () => number;
  /** Issue #11: a reply is answered again on a chosen model (routing learns from a regenerate on a stronger one). */
  onRegenerate?: (r: { messageId: string; model: string }) => void;
  /** Issue #14: the user's default for a conversation with no choice stored (Settings' `defaultModel`); null: Auto. */
  defaultModel?: () => string | null;
  /** The tier of a model id, as the router sees it: a Local-only conversation accepts only `local`. */
  tierOf: (model: string) => Tier;
  /** Files on user messages (issue #14): checked and stored with the message, put into the model's view of it. */
  attachments?: {
    check(model: string, files: readonly PreparedAttachment[]): Promise<void>;
    save(messageId: string, files: readonly PreparedAttachment[], now?: number): void;
    /** An edit's new version gets the files of the message it replaces; returns how many. */
    copy(fromMessageId: string, toMessageId: string, now?: number): number;
    expand(history: readonly ConversationMessage[]): Promise<{ messages: ConversationMessage[]; hasImages: boolean }>;
  };
  /**
   * Issue #12: the files of the conversation's active workspace selected for the user's latest words
   * (null: no workspace). They go to the model already chosen, as one system message before those words.
   */
  workspaceContext?: (conversationId: string, task: string, options: { resend: boolean }) => Promise<ChatWorkspaceContext | null>;
}

/** What a reply sends of a workspace (WorkspaceService.forChat has this shape). */
export interface ChatWorkspaceContext {
  workspace: string;
  files: ReadonlyArray<{ path: string; content: string; reason: string; bytes: number }>;
  repoMap: string;
  omitted: readonly string[];
  /** Records the files as sent (differential context); called only once a model answered. */
  markSent(): void;
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

  /**
   * The model a turn is answered by (issue #14): the conversation's own choice, else the user's
   * default. A model the caller names replaces the conversation's choice (the user picked it) —
   * except in a Local-only conversation, which refuses anything that could leave this machine, so a
   * stale or careless caller cannot send a private chat to the cloud; a local model answers that turn only.
   */
  modelFor(conversation: Conversation, requested?: string): { model: string; store: string | null } {
    const stored = conversation.model ?? this.deps.defaultModel?.() ?? AUTO_MODEL_ID;
    if (requested === undefined || requested === stored) return { model: stored, store: conversation.model === null ? stored : null };
    if (stored === LOCAL_MODEL_ID) {
      if (!this.staysLocal(requested)) {
        throw new SwitchboardError(
          'conflict',
          `This conversation is Local only: ${requested} would send it off this computer. Choose another mode or model for the conversation first (the Model picker in its header).`,
        );
      }
      return { model: requested, store: conversation.model === null ? stored : null };
    }
    return { model: requested, store: requested };
  }

  /** A mode, or a model whose provider exists and is switched on: what a conversation may be set to. */
  checkModel(model: string): void {
    if (!isRoutingMode(model)) this.deps.providers.resolve(model);
  }

  /** Local only, or a model that runs on the user's own machines. */
  private staysLocal(model: string): boolean {
    if (model === LOCAL_MODEL_ID) return true;
    return !isRoutingMode(model) && this.deps.tierOf(model) === 'local';
  }

  async send(input: { conversationId: string; content: string; model?: string; attachments?: PreparedAttachment[] }): Promise<{ userMessage: Message; assistantMessage: Message }> {
    const { conversations } = this.deps;
    const conversation = conversations.get(input.conversationId);
    if (!conversation) throw new SwitchboardError('not_found', 'That conversation no longer exists.');
    this.refuseWhileStreaming(conversation.id);
    return this.turn(conversation, input.content, input.model, undefined, input.attachments ?? []);
  }

  /**
   * Issue #14: a user message edited. The new text is a new version of that turn (same parent as the
   * old one, which stays as a branch), answered by the conversation's model.
   */
  edit(input: { messageId: string; content: string }): Promise<{ userMessage: Message; assistantMessage: Message }> {
    const { conversations, messages } = this.deps;
    const target = messages.get(input.messageId);
    if (!target || target.role !== 'user') throw new SwitchboardError('not_found', 'There is no such message of yours to edit.');
    const conversation = conversations.get(target.conversationId);
    if (!conversation) throw new SwitchboardError('not_found', 'That conversation no longer exists.');
    this.refuseWhileStreaming(conversation.id);
    // The new version carries the old one's files, so its reply still reads them.
    return this.turn(conversation, input.content, undefined, target.parentId ?? null, [], target.attachments?.length ? target.id : undefined);
  }

  /** A user message and its empty `streaming` reply, stored before any model is called. */
  private async turn(conversation: Conversation, content: string, requested: string | undefined, parentId: string | null | undefined, files: readonly PreparedAttachment[] = [], filesOf?: string): Promise<{ userMessage: Message; assistantMessage: Message }> {
    const { conversations, messages, events, providers } = this.deps;
    const { model, store } = this.modelFor(conversation, requested);
    // A typo or a switched-off provider is the user's to fix: refuse before anything is stored.
    if (!isRoutingMode(model)) providers.resolve(model);
    if (files.length) {
      if (!this.deps.attachments) throw new SwitchboardError('invalid_input', 'This chat takes no attachments.');
      await this.deps.attachments.check(model, files);
      // The check can take seconds (a model's vision capability): another send may have begun meanwhile.
      this.refuseWhileStreaming(conversation.id);
    }

    const now = this.now();
    const chosen = isRoutingMode(model) ? null : model;
    const [inserted, assistantMessage] = messages.insertMany(
      [
        { conversationId: conversation.id, role: 'user', content, modelId: null, status: 'complete', ...(parentId !== undefined ? { parentId } : {}) },
        { conversationId: conversation.id, role: 'assistant', content: '', modelId: chosen, status: 'streaming', startedAt: now },
      ],
      now,
    ) as [Message, Message];
    let userMessage = inserted;
    if (files.length) this.deps.attachments!.save(userMessage.id, files, now);
    if (filesOf !== undefined && this.deps.attachments) this.deps.attachments.copy(filesOf, userMessage.id, now);
    if (files.length || filesOf !== undefined) userMessage = messages.get(userMessage.id)!;
    if (conversation.messageCount === 0 && conversation.title === DEFAULT_CONVERSATION_TITLE) {
      conversations.rename(conversation.id, titleFrom(content), now);
    }
    if (store !== null) conversations.setModel(conversation.id, store);
    conversations.touch(conversation.id, model, now);
    events.emit('chat.message', { message: userMessage });
    events.emit('chat.message', { message: assistantMessage });
    events.emit('conversations.changed', { conversation: conversations.get(conversation.id) });

    // An edit is a new branch: its request holds none of the context sent on the old one.
    this.start(assistantMessage, model, false, '', parentId !== undefined);
    return { userMessage, assistantMessage };
  }

  private refuseWhileStreaming(conversationId: string): void {
    if (this.deps.messages.listByConversation(conversationId).some((m) => m.status === 'streaming')) {
      throw new SwitchboardError('conflict', 'A reply is still being written in this conversation. Stop it or wait, then send again.');
    }
  }

  /** Issue #14: deletes one message; a reply still being written is stopped first. */
  async deleteMessage(messageId: string): Promise<Message[]> {
    const { messages, events, conversations } = this.deps;
    const target = messages.get(messageId);
    if (!target) throw new SwitchboardError('not_found', 'That message no longer exists.');
    await this.stopAndWait(messageId);
    messages.delete(messageId);
    events.emit('conversations.changed', { conversation: conversations.get(target.conversationId) });
    return messages.listByConversation(target.conversationId);
  }

  /** Issue #14: shows another version of a turn (Previous / Next version). */
  showVersion(messageId: string): Message[] {
    const shown = this.deps.messages.showVersion(messageId);
    if (!shown) throw new SwitchboardError('not_found', 'That version no longer exists.');
    return this.deps.messages.listByConversation(shown.conversationId);
  }

  /**
   * Answers the user turn before `messageId` again, in place of that assistant message: the row is
   * emptied and refilled (the old answer is replaced). `bypassCache` skips the lookup ("Ask again
   * without cache"); the fresh answer then replaces the cached one in the cache too.
   */
  /**
   * Answers a reply again (replacing it), optionally on another model. With `continuePartial`, a
   * reply cut off by a failure keeps its text and the new model carries on from where it stopped.
   */
  regenerate(input: { messageId: string; bypassCache?: boolean; model?: string; continuePartial?: boolean; asVersion?: boolean }): { assistantMessage: Message } {
    const { conversations, messages, events, providers } = this.deps;
    const target = messages.get(input.messageId);
    if (!target || target.role !== 'assistant') throw new SwitchboardError('not_found', 'There is no such reply to answer again.');
    const conversation = conversations.get(target.conversationId);
    if (!conversation) throw new SwitchboardError('not_found', 'That conversation no longer exists.');
    if (messages.listByConversation(conversation.id).some((m) => m.status === 'streaming')) {
      throw new SwitchboardError('conflict', 'A reply is still being written in this conversation. Stop it or wait, then ask again.');
    }
    // The conversation's choice (issue #14); a model named here answers this reply only, and never
    // takes a Local-only conversation off this computer.
    const { model } = this.modelFor(conversation, input.model);
    if (!isRoutingMode(model)) providers.resolve(model);
    const prefix = input.continuePartial ? target.content : '';
    if (input.continuePartial && (target.status === 'complete' || !prefix)) {
      throw new SwitchboardError('invalid_input', 'Only a reply that was cut off with some text can be continued.');
    }
    if (input.model !== undefined && !input.continuePartial) this.deps.onRegenerate?.({ messageId: target.id, model: input.model });
    const now = this.now();
    if (input.asVersion && !prefix) {
      // Issue #14: a new version beside the old reply, which is kept as a branch.
      const [version] = messages.insertMany(
        [{ conversationId: conversation.id, role: 'assistant', content: '', modelId: isRoutingMode(model) ? null : model, status: 'streaming', startedAt: now, parentId: target.parentId ?? null }],
        now,
      ) as [Message];
      conversations.touch(conversation.id, null, now);
      events.emit('chat.message', { message: version });
      // A new version asks for a new answer: the cached one would only repeat the old.
      this.start(version, model, true, '', true);
      return { assistantMessage: version };
    }
    let restarted = messages.restart(target.id, isRoutingMode(model) ? null : model, now);
    if (!restarted) throw new SwitchboardError('conflict', 'That reply is still being written.');
    if (prefix) {
      messages.saveProgress(target.id, prefix, null, true);
      restarted = messages.get(target.id)!;
    }
    conversations.touch(conversation.id, null, now);
    events.emit('chat.message', { message: restarted });
    // A continuation is never looked up in or stored to the cache: it answers a different prompt.
    this.start(restarted, model, input.bypassCache === true || !!prefix, prefix, true);
    return { assistantMessage: restarted };
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

  /** Resolves when no reply is streaming and every answer is in the cache (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
    await this.deps.pipeline.idle();
  }

  /** Aborts every reply and waits until each row has its final status. */
  async dispose(): Promise<void> {
    for (const reply of this.running.values()) reply.controller.abort();
    await this.idle();
  }

  /** `resend`: an edited or regenerated turn sends its workspace files in full (the differential record assumes the latest turn). */
  private start(message: Message, model: string, bypassCache: boolean, prefix = '', resend = false): void {
    const controller = new AbortController();
    const done = this.reply(message, model, controller.signal, bypassCache, prefix, resend)
      .catch((error: unknown) => this.deps.logger.error('reply crashed', { error, messageId: message.id }))
      .finally(() => this.running.delete(message.id));
    this.running.set(message.id, { controller, done });
  }

  private async reply(message: Message, model: string, signal: AbortSignal, bypassCache: boolean, prefix = '', resend = false): Promise<void> {
    const { messages, events, pipeline } = this.deps;
    // The context is the branch above this reply (issue #14): the turns the user sees before it, no
    // other version of any turn, and nothing after it (a regenerated reply may have later turns).
    const all = messages.listByConversation(message.conversationId);
    const current = all.find((m) => m.id === message.id);
    const history = pathTo(all, current?.parentId ?? null)
      .filter((m) => m.content.length > 0 && (m.role !== 'assistant' || m.status !== 'error'))
      .map((m) => ({ id: m.id, role: m.role, content: m.content }));
    const latestUser = [...history].reverse().find((m) => m.role === 'user') ?? null;
    if (prefix) {
      history.push({ id: `${message.id}:partial`, role: 'assistant', content: prefix }, { id: `${message.id}:continue`, role: 'user', content: CONTINUE_PROMPT });
    }
    // The chat's own settings (issue #14) over the app's: a system prompt first, temperature, reply length.
    const chatSettings = this.deps.conversations.get(message.conversationId)?.chatSettings ?? {};
    if (chatSettings.systemPrompt?.trim()) history.unshift({ id: `${message.conversationId}:system`, role: 'system', content: chatSettings.systemPrompt });
    const temperature = chatSettings.temperature ?? this.deps.temperature?.();
    const options = temperature === undefined && chatSettings.maxTokens === undefined
      ? undefined
      : { ...(temperature !== undefined ? { temperature } : {}), ...(chatSettings.maxTokens !== undefined ? { maxTokens: chatSettings.maxTokens } : {}) };
    let content = prefix;
    let firstTokenAt: number | null = null;
    let lastFlush = this.now();
    let escalation: { from: string; reason: string } | null = null;

    const onEvent = (event: CascadeEvent): void => {
      if (event.type === 'attempt-start') {
        // A new attempt replaces the text of the one the gates rejected.
        if (event.attempt > 1 || content !== prefix) {
          content = prefix;
          messages.saveProgress(message.id, prefix, null, true);
        }
        messages.setModel(message.id, event.model);
        events.emit('chat.attempt', {
          conversationId: message.conversationId,
          messageId: message.id,
          attempt: event.attempt,
          model: event.model,
          tier: event.tier,
          from: event.attempt > 1 ? (escalation?.from ?? null) : null,
          reason: event.attempt > 1 ? (escalation?.reason ?? null) : null,
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
        // The cascade prefixes the reason with the model ("ollama/x: the reply was empty"); `from` says it.
        const prefix = `${event.from}: `;
        escalation = { from: event.from, reason: event.reason.startsWith(prefix) ? event.reason.slice(prefix.length) : event.reason };
      }
    };

    let status: 'complete' | 'error' | 'cancelled' = 'complete';
    let error: SerializedError | null = null;
    let usage: { inputTokens: number; outputTokens: number } | null = null;
    let workspace: ChatWorkspaceContext | null = null;
    try {
      const optOut = this.deps.conversations.get(message.conversationId)?.cacheOptOut === true;
      // Files on user turns go in as the model reads them (text before the words, images as parts).
      const expanded = (await this.deps.attachments?.expand(history)) ?? { messages: history, hasImages: false };
      // Issue #12: the workspace's selected files and repo map, as one system message just before the
      // user's latest words, to the model already chosen. A message of its own, not a prefix of those
      // words: the cache's exact key and its semantic scope (every message before the last user one)
      // then change with any file's content, while the semantic match still compares only the words.
      // Every turn carries its selection in full: the block is not stored with the turn, so a follow-up's
      // request has no earlier copy of an unchanged file (sending only changed files would leave the
      // model without the rest). `resend` is kept for when blocks are stored and replayed.
      void resend;
      workspace = latestUser && this.deps.workspaceContext ? await this.deps.workspaceContext(message.conversationId, latestUser.content, { resend: true }) : null;
      const block = workspace ? contextBlock(workspace) : '';
      const at = block && latestUser ? expanded.messages.findIndex((m) => m.id === latestUser.id) : -1;
      if (at !== -1) expanded.messages.splice(at, 0, { id: `${latestUser!.id}:workspace`, role: 'system', content: block });
      const answered = await pipeline.answer({
        purpose: 'chat',
        model,
        messages: expanded.messages,
        conversationId: message.conversationId,
        messageId: message.id,
        options,
        signal,
        onEvent,
        deltas: 'live',
        // A continuation is never looked up in or stored to the cache: it answers a different prompt.
        // Nor a request with images (the cache key is the text alone).
        cache: prefix || expanded.hasImages ? undefined : { optOut, skipLookup: bypassCache },
        ...(expanded.hasImages ? { requiresVision: true } : {}),
      });
      if (answered.kind === 'cached') {
        this.contextSent(message, workspace);
        return this.finishFromCache(message, answered.hit);
      }
      const outcome = answered.route;
      const kept = outcome.result?.kept;
      if (kept?.usage) usage = kept.usage;
      if (outcome.result) content = prefix + (outcome.result.text || content.slice(prefix.length));
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
    // A stopped or failed reply records nothing as sent: the next request sends those files again.
    if (status === 'complete') this.contextSent(message, workspace);
    if (finished) events.emit('chat.message', { message: finished });
  }

  /** Issue #12: the workspace files a reply went with are recorded as sent and named to the renderer. */
  private contextSent(message: Message, workspace: ChatWorkspaceContext | null): void {
    if (!workspace) return;
    try {
      workspace.markSent();
    } catch (error) {
      this.deps.logger.warn('could not record the context sent', { error, messageId: message.id });
    }
    this.deps.events.emit('chat.context', {
      conversationId: message.conversationId,
      messageId: message.id,
      workspace: workspace.workspace,
      files: workspace.files.map((f) => ({ path: f.path, reason: f.reason, bytes: f.bytes })),
      omitted: [...workspace.omitted],
      repoMap: workspace.repoMap.length > 0,
    });
  }

  /** A cache hit completes the reply at once with the cached text; no model is called. */
  private finishFromCache(message: Message, hit: CacheHit): void {
    const { messages, events } = this.deps;
    const now = this.now();
    messages.setModel(message.id, hit.model);
    const finished = messages.finish(message.id, {
      status: 'complete',
      content: hit.text,
      firstTokenAt: now,
      finishedAt: now,
      cached: { kind: hit.kind, similarity: hit.similarity ?? null, savedUsd: hit.savedUsd },
    });
    this.deps.logger.debug('reply served from the cache', { messageId: message.id, kind: hit.kind });
    if (finished) events.emit('chat.message', { message: finished });
  }
}

/** What a model is told when it carries on a reply another model started and could not finish. */
const CONTINUE_PROMPT = 'Your previous reply was cut off. Continue it exactly where it stops: do not repeat any of it and do not comment on the interruption.';

/** The one block a reply's workspace context is put in: whole files fenced, then the repo map. */
export function contextBlock(context: ChatWorkspaceContext): string {
  if (context.files.length === 0 && !context.repoMap.trim()) return '';
  const parts = [`Files from the workspace ${context.workspace} (paths relative to its root):`];
  for (const f of context.files) {
    const fence = f.content.includes('```') ? '~~~~' : '```';
    parts.push(`${f.path} (${f.reason}):\n${fence}\n${f.content.replace(/\n$/, '')}\n${fence}`);
  }
  if (context.repoMap.trim()) parts.push(`Repo map of other files (definitions):\n\`\`\`\n${context.repoMap.trim()}\n\`\`\``);
  return parts.join('\n\n');
}

function titleFrom(content: string): string {
  const line = content.replace(/\s+/g, ' ').trim();
  return line.length <= 60 ? line : `${line.slice(0, 57).trimEnd()}…`;
}
