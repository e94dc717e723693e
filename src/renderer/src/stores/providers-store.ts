import { create } from 'zustand';
import type { CustomEndpoint, ModelHealthInfo, ProviderStatus } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

export interface TestResult {
  ok: boolean;
  text: string;
}

interface ProvidersState {
  providers: ProviderStatus[];
  health: ModelHealthInfo[];
  tests: Record<string, TestResult | 'running'>;
  error: string | null;
  load(): Promise<void>;
  setEnabled(id: string, enabled: boolean): Promise<void>;
  setBaseUrl(id: string, baseUrl: string | null): Promise<boolean>;
  test(id: string): Promise<void>;
  addCustom(endpoint: CustomEndpoint & { apiKey?: string }): Promise<boolean>;
  removeCustom(id: string): Promise<void>;
}

export const useProviders = create<ProvidersState>((set, get) => {
  const replace = (status: ProviderStatus) => set({ providers: get().providers.map((p) => (p.id === status.id ? status : p)), error: null });
  return {
    providers: [],
    health: [],
    tests: {},
    error: null,
    async load() {
      try {
        const [providers, health] = await Promise.all([client().invoke('providers.list', {}), client().invoke('providers.health', {})]);
        set({ providers, health, error: null });
      } catch (error) {
        set({ error: errorText(error) });
      }
    },
    async setEnabled(id, enabled) {
      // Shown at once (a controlled checkbox would otherwise snap back until the answer arrives).
      const before = get().providers;
      set({ providers: before.map((p) => (p.id === id ? { ...p, enabled } : p)) });
      try {
        replace(await client().invoke('providers.update', { id, enabled }));
      } catch (error) {
        set({ providers: before, error: errorText(error) });
      }
    },
    async setBaseUrl(id, baseUrl) {
      try {
        replace(await client().invoke('providers.update', { id, baseUrl }));
        return true;
      } catch (error) {
        set({ error: errorText(error) });
        return false;
      }
    },
    async test(id) {
      set({ tests: { ...get().tests, [id]: 'running' } });
      try {
        const r = await client().invoke('providers.test', { id });
        const result: TestResult = r.ok
          ? { ok: true, text: `Works: ${r.modelCount} models listed in ${r.latencyMs} ms.` }
          : { ok: false, text: r.error?.message ?? 'Failed.' };
        set({ tests: { ...get().tests, [id]: result } });
      } catch (error) {
        set({ tests: { ...get().tests, [id]: { ok: false, text: errorText(error) } } });
      }
    },
    async addCustom(endpoint) {
      try {
        const status = await client().invoke('providers.addCustom', endpoint);
        set({ providers: [...get().providers, status], error: null });
        return true;
      } catch (error) {
        set({ error: errorText(error) });
        return false;
      }
    },
    async removeCustom(id) {
      try {
        await client().invoke('providers.removeCustom', { id });
        set({ providers: get().providers.filter((p) => p.id !== id), error: null });
      } catch (error) {
        set({ error: errorText(error) });
      }
    },
  };
});
