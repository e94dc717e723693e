import { create } from 'zustand';
import type { AvailableModel, OutboundEntry, RoutingConfigState } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

const LOG_LIMIT = 100;

interface RoutingSettingsState {
  config: RoutingConfigState | null;
  /** Priced cloud models: the choices for the reference model. */
  priced: AvailableModel[];
  error: string | null;
  saved: string | null;
  log: OutboundEntry[];
  logError: string | null;
  load(): Promise<void>;
  save(patch: Record<string, unknown>, options?: { replace?: boolean }): Promise<boolean>;
  loadLog(): Promise<void>;
  applyOutbound(entry: OutboundEntry): void;
}

export const useRoutingSettings = create<RoutingSettingsState>((set) => ({
  config: null,
  priced: [],
  error: null,
  saved: null,
  log: [],
  logError: null,
  async load() {
    try {
      const [config, catalog] = await Promise.all([client().invoke('routing.config', {}), client().invoke('providers.catalog', {})]);
      set({ config, priced: catalog.filter((m) => m.tier === 'paid' && m.price !== null), error: null });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async save(patch, options = {}) {
    try {
      const config = await client().invoke('routing.updateConfig', { patch, replace: options.replace });
      set({ config, error: null, saved: options.replace ? 'Routing reset to the defaults.' : 'Routing saved.' });
      return true;
    } catch (error) {
      set({ error: errorText(error), saved: null });
      return false;
    }
  },
  async loadLog() {
    try {
      set({ log: await client().invoke('network.log', { limit: LOG_LIMIT }), logError: null });
    } catch (error) {
      set({ logError: errorText(error) });
    }
  },
  applyOutbound(entry) {
    set((s) => ({ log: [entry, ...s.log].slice(0, LOG_LIMIT) }));
  },
}));
