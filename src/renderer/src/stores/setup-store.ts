import { create } from 'zustand';
import type { HardwareReport, OllamaLifecycleStatus, Recommendation } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

interface SetupState {
  hardware: HardwareReport | null;
  ollama: OllamaLifecycleStatus | null;
  recommendation: Recommendation | null;
  /** Models the user chose to download in the wizard (tags). */
  selected: string[];
  error: string | null;
  checkingOllama: boolean;
  starting: boolean;
  loadHardware(refresh?: boolean): Promise<void>;
  checkOllama(): Promise<void>;
  startOllama(): Promise<void>;
  loadRecommendation(): Promise<void>;
  toggle(model: string, on: boolean): void;
}

export const useSetup = create<SetupState>((set, get) => ({
  hardware: null,
  ollama: null,
  recommendation: null,
  selected: [],
  error: null,
  checkingOllama: false,
  starting: false,
  async loadHardware(refresh) {
    try {
      set({ hardware: await client().invoke('hardware.detect', { refresh }), error: null });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async checkOllama() {
    set({ checkingOllama: true });
    try {
      set({ ollama: await client().invoke('ollama.status', {}), error: null, checkingOllama: false });
    } catch (error) {
      set({ error: errorText(error), checkingOllama: false });
    }
  },
  async startOllama() {
    set({ starting: true });
    try {
      set({ ollama: await client().invoke('ollama.start', {}), error: null, starting: false });
    } catch (error) {
      set({ error: errorText(error), starting: false });
      await get().checkOllama();
    }
  },
  async loadRecommendation() {
    try {
      const recommendation = await client().invoke('localModels.recommend', {});
      const first = get().recommendation === null;
      // First time: every recommended model that is not installed yet is ticked.
      const selected = first
        ? [...new Set(recommendation.roles.filter((r) => r.model && !r.installed).map((r) => r.model!))]
        : get().selected;
      set({ recommendation, selected, error: null });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  toggle(model, on) {
    const rest = get().selected.filter((m) => m !== model);
    set({ selected: on ? [...rest, model] : rest });
  },
}));
