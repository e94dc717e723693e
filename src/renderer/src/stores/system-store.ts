import { create } from 'zustand';
import type { ModelInfo, OllamaStatus, SystemStatus } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

interface SystemState {
  status: SystemStatus | null;
  models: ModelInfo[];
  ollama: OllamaStatus | null;
  modelsLoaded: boolean;
  error: string | null;
  refreshing: boolean;
  refresh(): Promise<void>;
}

export const useSystem = create<SystemState>((set) => ({
  status: null,
  models: [],
  ollama: null,
  modelsLoaded: false,
  error: null,
  refreshing: false,
  async refresh() {
    set({ refreshing: true });
    try {
      const [status, models] = await Promise.all([client().invoke('system.status', {}), client().invoke('models.list', {})]);
      set({ status, models: models.models, ollama: models.ollama, modelsLoaded: true, error: null, refreshing: false });
    } catch (error) {
      set({ error: errorText(error), refreshing: false, modelsLoaded: true });
    }
  },
}));
