import { create } from 'zustand';
import type { ConversationContext, EventPayload, Workspace } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

interface WorkspaceState {
  /** Per conversation id: its workspace and context files. */
  byConversation: Record<string, ConversationContext>;
  workspaces: Workspace[];
  /** False in headless mode: no folder dialog, a path is typed instead. Null until asked. */
  canPick: boolean | null;
  busy: boolean;
  error: string | null;
  load(conversationId: string): Promise<void>;
  loadWorkspaces(): Promise<void>;
  /** Desktop: the folder dialog. Returns false when there is none here (type a path instead). */
  pick(conversationId: string): Promise<boolean>;
  open(conversationId: string, folder: string): Promise<boolean>;
  switchTo(conversationId: string, workspaceId: string | null): Promise<void>;
  add(conversationId: string, filePath: string): Promise<boolean>;
  remove(conversationId: string, filePath: string): Promise<void>;
  suggest(workspaceId: string, query: string): Promise<string[]>;
  clearError(): void;
  /** Issue #12: the workspace files each reply of this session was sent with, by message id. */
  sentWith: Record<string, EventPayload<'chat.context'>>;
  /** A reply went with workspace files: remember them and refresh that conversation's panel. */
  applyContextSent(payload: EventPayload<'chat.context'>): void;
}

/** The chat's workspace bar and Context files panel (issue #12). */
export const useWorkspace = create<WorkspaceState>((set, get) => {
  const run = async (conversationId: string, fn: () => Promise<ConversationContext>): Promise<boolean> => {
    set({ busy: true, error: null });
    try {
      const context = await fn();
      set((s) => ({ byConversation: { ...s.byConversation, [conversationId]: context }, busy: false }));
      return true;
    } catch (error) {
      set({ busy: false, error: errorText(error) });
      return false;
    }
  };
  return {
    byConversation: {},
    sentWith: {},
    applyContextSent(payload) {
      set((s) => ({ sentWith: { ...s.sentWith, [payload.messageId]: payload } }));
      if (payload.conversationId in get().byConversation) void get().load(payload.conversationId);
    },
    workspaces: [],
    canPick: null,
    busy: false,
    error: null,
    async load(conversationId) {
      await run(conversationId, () => client().invoke('workspaces.context', { conversationId }));
    },
    async loadWorkspaces() {
      try {
        set({ workspaces: (await client().invoke('workspaces.list', {})).workspaces });
      } catch (error) {
        set({ error: errorText(error) });
      }
    },
    async pick(conversationId) {
      set({ busy: true, error: null });
      try {
        const { supported, workspace } = await client().invoke('workspaces.pick', { conversationId });
        set({ canPick: supported, busy: false });
        if (workspace) {
          await get().load(conversationId);
          await get().loadWorkspaces();
        }
        return supported;
      } catch (error) {
        set({ busy: false, error: errorText(error) });
        return true;
      }
    },
    async open(conversationId, folder) {
      const opened = await run(conversationId, async () => {
        await client().invoke('workspaces.open', { path: folder, conversationId });
        return client().invoke('workspaces.context', { conversationId });
      });
      if (opened) await get().loadWorkspaces();
      return opened;
    },
    async switchTo(conversationId, workspaceId) {
      await run(conversationId, () => client().invoke('workspaces.setActive', { conversationId, workspaceId }));
    },
    async add(conversationId, filePath) {
      return run(conversationId, () => client().invoke('workspaces.editContext', { conversationId, add: filePath }));
    },
    async remove(conversationId, filePath) {
      await run(conversationId, () => client().invoke('workspaces.editContext', { conversationId, remove: filePath }));
    },
    async suggest(workspaceId, query) {
      try {
        return (await client().invoke('workspaces.files', { id: workspaceId, query, limit: 8 })).paths;
      } catch {
        return []; // suggestions are a convenience; a failed lookup shows none
      }
    },
    clearError() {
      set({ error: null });
    },
  };
});
