import { create } from 'zustand';
import type { ChatSettings, Conversation } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

/** A chat started with "New chat" is not saved until its first message (issue #14): this is it until then. */
export interface DraftChat {
  model: string | null;
  chatSettings: ChatSettings;
}

export interface ConversationPatch {
  model?: string;
  chatSettings?: ChatSettings;
}

interface ConversationsState {
  items: Conversation[];
  /** null: the unsaved new chat (`draft`) is on screen. */
  selectedId: string | null;
  draft: DraftChat;
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  select(id: string | null): void;
  /** "New chat": an unsaved draft, started from the user's default (or a preset's choices). */
  newChat(start?: Partial<DraftChat>): void;
  /** Saves the draft as a conversation (its first message is about to be sent). */
  create(): Promise<Conversation | null>;
  /** Changes the open chat's model or settings: the draft's, or the stored conversation's. */
  update(id: string | null, patch: ConversationPatch): Promise<boolean>;
  /** Resolves once every update sent so far has been stored (a send waits for the model change before it). */
  settled(): Promise<void>;
  rename(id: string, title: string): Promise<void>;
  remove(id: string): Promise<void>;
  applyChanged(change: { conversation: Conversation | null; deletedId?: string }): void;
}

const SELECTED_KEY = 'switchboard.selectedConversation';

function sortByUpdated(items: Conversation[]): Conversation[] {
  return [...items].sort((a, b) => b.updatedAt - a.updatedAt);
}

const EMPTY_DRAFT: DraftChat = { model: null, chatSettings: {} };
let pending: Promise<unknown> = Promise.resolve();

export const useConversations = create<ConversationsState>((set, get) => ({
  items: [],
  selectedId: null,
  draft: EMPTY_DRAFT,
  loaded: false,
  error: null,
  async load() {
    try {
      const items = await client().invoke('conversations.list', {});
      const remembered = localStorage.getItem(SELECTED_KEY);
      const current = get().selectedId ?? remembered;
      const selectedId = items.some((c) => c.id === current) ? current : (items[0]?.id ?? null);
      set({ items, loaded: true, error: null, selectedId });
    } catch (error) {
      set({ loaded: true, error: errorText(error) });
    }
  },
  select(id) {
    if (id) localStorage.setItem(SELECTED_KEY, id);
    else localStorage.removeItem(SELECTED_KEY);
    set({ selectedId: id });
  },
  newChat(start) {
    get().select(null);
    set({ draft: { ...EMPTY_DRAFT, ...start } });
  },
  async create() {
    const { draft } = get();
    try {
      const conversation = await client().invoke('conversations.create', {
        ...(draft.model ? { model: draft.model } : {}),
        ...(Object.keys(draft.chatSettings).length > 0 ? { chatSettings: draft.chatSettings } : {}),
      });
      set({ draft: EMPTY_DRAFT });
      get().applyChanged({ conversation });
      get().select(conversation.id);
      return conversation;
    } catch (error) {
      set({ error: errorText(error) });
      return null;
    }
  },
  async update(id, patch) {
    if (id === null) {
      set((s) => ({ draft: { ...s.draft, ...patch } }));
      return true;
    }
    // Shown at once; the stored conversation comes back from the call (or the old one on failure).
    const before = get().items.find((c) => c.id === id);
    if (before) get().applyChanged({ conversation: { ...before, ...patch, updatedAt: before.updatedAt } });
    const call = client()
      .invoke('conversations.update', { id, ...patch })
      .then((conversation) => {
        get().applyChanged({ conversation });
        return true;
      })
      .catch((error: unknown) => {
        if (before) get().applyChanged({ conversation: before });
        set({ error: errorText(error) });
        return false;
      });
    pending = Promise.all([pending, call]);
    return call;
  },
  async settled() {
    await pending;
  },
  async rename(id, title) {
    try {
      const conversation = await client().invoke('conversations.rename', { id, title });
      get().applyChanged({ conversation });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async remove(id) {
    try {
      await client().invoke('conversations.delete', { id });
      get().applyChanged({ conversation: null, deletedId: id });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  applyChanged({ conversation, deletedId }) {
    set((state) => {
      let items = state.items;
      if (deletedId) items = items.filter((c) => c.id !== deletedId);
      if (conversation) items = sortByUpdated([conversation, ...items.filter((c) => c.id !== conversation.id)]);
      let selectedId = state.selectedId;
      if (deletedId && selectedId === deletedId) selectedId = items[0]?.id ?? null;
      return { items, selectedId };
    });
    const selected = get().selectedId;
    if (selected) localStorage.setItem(SELECTED_KEY, selected);
  },
}));
