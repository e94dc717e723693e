import { create } from 'zustand';
import type { CustomEndpoint, ModelHealthInfo, ModelListStatus, ProviderStatus } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';
import { useSystem } from './system-store';

export interface TestResult {
  ok: boolean;
  text: string;
}

interface ProvidersState {
  providers: ProviderStatus[];
  health: ModelHealthInfo[];
  tests: Record<string, TestResult | 'running'>;
  /** Each cloud provider's live model list (issue #15), by provider id; 'running' while a refresh is under way. */
  lists: Record<string, ModelListStatus | 'running'>;
  /** Bumped when a refresh changed the model lists (the Prices table reloads). */
  listsVersion: number;
  /** Per provider: paid models it lists that have no price yet (Settings → Prices sets one). */
  unpriced: Record<string, number>;
  /** Settings → Prices is open (a "set it in Prices" link opens it). */
  pricesOpen: boolean;
  setPricesOpen(open: boolean): void;
  error: string | null;
  load(): Promise<void>;
  refreshModels(id: string): Promise<void>;
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
    lists: {},
    listsVersion: 0,
    unpriced: {},
    pricesOpen: false,
    setPricesOpen(open) {
      set({ pricesOpen: open });
    },
    error: null,
    async load() {
      try {
        const [providers, health, lists, unpriced] = await Promise.all([
          client().invoke('providers.list', {}),
          client().invoke('providers.health', {}),
          client().invoke('providers.modelLists', {}),
          unpricedByProvider(),
        ]);
        set({ providers, health, lists: Object.fromEntries(lists.map((l) => [l.provider, l])), unpriced, error: null });
      } catch (error) {
        set({ error: errorText(error) });
      }
    },
    async refreshModels(id) {
      const before = get().lists[id];
      set({ lists: { ...get().lists, [id]: 'running' } });
      try {
        const [result] = await client().invoke('providers.refreshModels', { id });
        const unpriced = await unpricedByProvider();
        set({ lists: { ...get().lists, ...(result ? { [id]: result } : {}) }, listsVersion: get().listsVersion + 1, unpriced, error: null });
        // The model picker shows new models and drops retired ones at once.
        void useSystem.getState().refresh();
      } catch (error) {
        const lists = { ...get().lists };
        if (before) lists[id] = before;
        else delete lists[id];
        set({ lists, error: errorText(error) });
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

/** Paid models without a price, counted per provider (the catalog's view: listed models the bundled catalog lacks). */
async function unpricedByProvider(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const m of await client().invoke('providers.catalog', {})) {
    if (m.tier === 'paid' && m.price === null && m.available) out[m.provider] = (out[m.provider] ?? 0) + 1;
  }
  return out;
}
