import { create } from 'zustand';
import type { Message, PreparedAttachment } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

interface ChatState {
  /** Messages per conversation, in order. */
  byConversation: Record<string, Message[]>;
  loading: Record<string, boolean>;
  sendError: string | null;
  load(conversationId: string): Promise<void>;
  /** Without `model` the conversation's own choice answers (issue #14); `attachments` go with the message. */
  send(conversationId: string, content: string, model?: string, attachments?: PreparedAttachment[]): Promise<boolean>;
  /** A user message edited: a new version of that turn, answered afresh (the old one is kept). */
  edit(messageId: string, content: string): Promise<boolean>;
  /** A reply answered again as a new version beside the old one; `model` for this reply only. */
  regenerateVersion(messageId: string, model?: string): Promise<boolean>;
  showVersion(conversationId: string, messageId: string): Promise<void>;
  deleteMessage(conversationId: string, messageId: string): Promise<void>;
  stop(messageId: string): Promise<void>;
  /** Answers the turn before `messageId` again in its place; `bypassCache` by default ("Ask again without cache"). */
  regenerate(messageId: string, model: string | null, bypassCache?: boolean): Promise<boolean>;
  /** Carries a reply cut off by a failure on to another model, keeping its text. */
  continueOn(messageId: string, model: string): Promise<boolean>;
  applyDelta(delta: { conversationId: string; messageId: string; text: string }): void;
  /**
   * An attempt starts: its text replaces whatever the row showed (attempt > 1: the router escalated
   * and the rejected draft goes; attempt 1: a reply answered again in place starts empty).
   */
  restartReply(attempt: { conversationId: string; messageId: string; attempt: number }): void;
  applyMessage(message: Message): void;
  forget(conversationId: string): void;
  clearSendError(): void;
}

function upsert(list: Message[], message: Message): Message[] {
  const i = list.findIndex((m) => m.id === message.id);
  if (i === -1) return [...list, message].sort((a, b) => a.createdAt - b.createdAt);
  const existing = list[i]!;
  // A reply can finish before the call that started it returns (a cache hit does): that call's
  // `streaming` snapshot is stale. A finished reply restarted (chat.regenerate) has a new startedAt.
  if (message.status === 'streaming' && existing.status !== 'streaming' && message.startedAt === existing.startedAt) return list;
  const next = list.slice();
  // A status event can overtake the last delta's render: never shorten text we already show.
  const overtaken = message.status === 'streaming' && existing.status === 'streaming' && existing.content.length > message.content.length;
  next[i] = overtaken ? { ...message, content: existing.content } : message;
  return next;
}

export const useChat = create<ChatState>((set, get) => ({
  byConversation: {},
  loading: {},
  sendError: null,
  async load(conversationId) {
    set((s) => ({ loading: { ...s.loading, [conversationId]: true } }));
    try {
      const messages = await client().invoke('conversations.messages', { id: conversationId });
      set((s) => {
        // Keep text that streamed in while the list was loading.
        const live = s.byConversation[conversationId] ?? [];
        const merged = messages.map((m) => {
          const seen = live.find((l) => l.id === m.id);
          // A reply that finished while the list was loading: the list's `streaming` row is older.
          if (seen && m.status === 'streaming' && seen.status !== 'streaming' && seen.startedAt === m.startedAt) return seen;
          return seen && m.status === 'streaming' && seen.content.length > m.content.length ? { ...m, content: seen.content } : m;
        });
        return { byConversation: { ...s.byConversation, [conversationId]: merged }, loading: { ...s.loading, [conversationId]: false } };
      });
    } catch (error) {
      set((s) => ({ loading: { ...s.loading, [conversationId]: false }, sendError: errorText(error) }));
    }
  },
  async send(conversationId, content, model, attachments) {
    set({ sendError: null });
    try {
      const { userMessage, assistantMessage } = await client().invoke('chat.send', { conversationId, content, ...(model ? { model } : {}), ...(attachments?.length ? { attachments } : {}) });
      get().applyMessage(userMessage);
      get().applyMessage(assistantMessage);
      return true;
    } catch (error) {
      set({ sendError: errorText(error) });
      return false;
    }
  },
  async edit(messageId, content) {
    set({ sendError: null });
    try {
      const { userMessage, assistantMessage } = await client().invoke('chat.edit', { messageId, content });
      // The newest version of a turn is the one shown (src/shared/chat-branch.ts): no reload needed.
      get().applyMessage(userMessage);
      get().applyMessage(assistantMessage);
      return true;
    } catch (error) {
      set({ sendError: errorText(error) });
      return false;
    }
  },
  async regenerateVersion(messageId, model) {
    set({ sendError: null });
    try {
      const { assistantMessage } = await client().invoke('chat.regenerate', { messageId, asVersion: true, ...(model ? { model } : {}) });
      get().applyMessage(assistantMessage);
      return true;
    } catch (error) {
      set({ sendError: errorText(error) });
      return false;
    }
  },
  async showVersion(conversationId, messageId) {
    try {
      const all = await client().invoke('chat.showVersion', { messageId });
      set((s) => ({ byConversation: { ...s.byConversation, [conversationId]: all } }));
    } catch (error) {
      set({ sendError: errorText(error) });
    }
  },
  async deleteMessage(conversationId, messageId) {
    try {
      const all = await client().invoke('chat.deleteMessage', { messageId });
      set((s) => ({ byConversation: { ...s.byConversation, [conversationId]: all } }));
    } catch (error) {
      set({ sendError: errorText(error) });
    }
  },
  async regenerate(messageId, model, bypassCache = true) {
    set({ sendError: null });
    try {
      const { assistantMessage } = await client().invoke('chat.regenerate', { messageId, bypassCache, ...(model ? { model } : {}) });
      get().applyMessage(assistantMessage);
      return true;
    } catch (error) {
      set({ sendError: errorText(error) });
      return false;
    }
  },
  async continueOn(messageId, model) {
    set({ sendError: null });
    try {
      const { assistantMessage } = await client().invoke('chat.regenerate', { messageId, model, continuePartial: true });
      get().applyMessage(assistantMessage);
      return true;
    } catch (error) {
      set({ sendError: errorText(error) });
      return false;
    }
  },
  async stop(messageId) {
    try {
      await client().invoke('chat.stop', { messageId });
    } catch (error) {
      set({ sendError: errorText(error) });
    }
  },
  applyDelta({ conversationId, messageId, text }) {
    set((s) => {
      const list = s.byConversation[conversationId];
      if (!list) return s;
      const i = list.findIndex((m) => m.id === messageId);
      if (i === -1) return s;
      const next = list.slice();
      next[i] = { ...list[i]!, content: list[i]!.content + text };
      return { byConversation: { ...s.byConversation, [conversationId]: next } };
    });
  },
  restartReply({ conversationId, messageId }) {
    set((s) => {
      const list = s.byConversation[conversationId];
      const i = list?.findIndex((m) => m.id === messageId) ?? -1;
      if (!list || i === -1 || list[i]!.content === '') return s;
      const next = list.slice();
      next[i] = { ...list[i]!, content: '' };
      return { byConversation: { ...s.byConversation, [conversationId]: next } };
    });
  },
  applyMessage(message) {
    set((s) => {
      const list = s.byConversation[message.conversationId];
      if (!list) return s;
      return { byConversation: { ...s.byConversation, [message.conversationId]: upsert(list, message) } };
    });
  },
  forget(conversationId) {
    set((s) => {
      const { [conversationId]: _gone, ...rest } = s.byConversation;
      return { byConversation: rest };
    });
  },
  clearSendError() {
    set({ sendError: null });
  },
}));
