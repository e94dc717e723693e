import { create } from 'zustand';
import type { ChatPreset, ChatSettings, SavedPrompt } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

/** Issue #14: chat presets and the prompt library (stored in SQLite by the main process). */
interface ChatLibraryState {
  presets: ChatPreset[];
  prompts: SavedPrompt[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  savePreset(p: { name: string; model: string | null; chatSettings: ChatSettings }): Promise<boolean>;
  deletePreset(id: string): Promise<void>;
  savePrompt(p: { name: string; text: string }): Promise<boolean>;
  deletePrompt(id: string): Promise<void>;
}

export const useChatLibrary = create<ChatLibraryState>((set, get) => ({
  presets: [],
  prompts: [],
  loaded: false,
  error: null,
  async load() {
    try {
      const [presets, prompts] = await Promise.all([client().invoke('chat.presets', {}), client().invoke('chat.prompts', {})]);
      set({ presets, prompts, loaded: true, error: null });
    } catch (error) {
      set({ loaded: true, error: errorText(error) });
    }
  },
  async savePreset(p) {
    try {
      await client().invoke('chat.savePreset', p);
      await get().load();
      return true;
    } catch (error) {
      set({ error: errorText(error) });
      return false;
    }
  },
  async deletePreset(id) {
    try {
      await client().invoke('chat.deletePreset', { id });
      await get().load();
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async savePrompt(p) {
    try {
      await client().invoke('chat.savePrompt', p);
      await get().load();
      return true;
    } catch (error) {
      set({ error: errorText(error) });
      return false;
    }
  },
  async deletePrompt(id) {
    try {
      await client().invoke('chat.deletePrompt', { id });
      await get().load();
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
}));
