import { create } from 'zustand';
import type { Conversation } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

interface ConversationsState {
  items: Conversation[];
  selectedId: string | null;
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  select(id: string | null): void;
  create(): Promise<Conversation | null>;
  rename(id: string, title: string): Promise<void>;
  remove(id: string): Promise<void>;
  applyChanged(change: { conversation: Conversation | null; deletedId?: string }): void;
}

const SELECTED_KEY = 'switchboard.selectedConversation';

function sortByUpdated(items: Conversation[]): Conversation[] {
  return [...items].sort((a, b) => b.updatedAt - a.updatedAt);
}

export const useConversations = create<ConversationsState>((set, get) => ({
  items: [],
  selectedId: null,
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
  async create() {
    try {
      const conversation = await client().invoke('conversations.create', {});
      get().applyChanged({ conversation });
      get().select(conversation.id);
      return conversation;
    } catch (error) {
      set({ error: errorText(error) });
      return null;
    }
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
