import { create } from 'zustand';
import type { ApiStatus, CacheSettingsInput, CallOutput, Settings } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';
import { useSettings } from './settings-store';

type CacheOverview = CallOutput<'cache.status'>;

interface CacheState {
  overview: CacheOverview | null;
  api: ApiStatus | null;
  error: string | null;
  saved: string | null;
  load(): Promise<void>;
  /** Writes Settings → Cache (over what is stored) and the chat temperature; then reloads the status. */
  save(cache: CacheSettingsInput, chatTemperature?: number): Promise<boolean>;
  clear(): Promise<void>;
  saveApi(apiServer: Settings['apiServer']): Promise<boolean>;
  rotateToken(): Promise<void>;
}

/** Settings → Cache and Settings → API. The values live in Settings; the status comes from `cache.*` and `api.*`. */
export const useCache = create<CacheState>((set, get) => ({
  overview: null,
  api: null,
  error: null,
  saved: null,
  async load() {
    try {
      const [overview, api] = await Promise.all([client().invoke('cache.status', {}), client().invoke('api.status', {})]);
      set({ overview, api, error: null });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async save(cache, chatTemperature) {
    const current = useSettings.getState().settings;
    const patch: Partial<Settings> = { cache: { ...(current?.cache ?? {}), ...cache } };
    if (chatTemperature !== undefined) patch.chatTemperature = chatTemperature;
    const ok = await useSettings.getState().update(patch);
    if (!ok) {
      set({ error: useSettings.getState().error, saved: null });
      return false;
    }
    set({ saved: 'Cache settings saved.', error: null });
    await get().load();
    return true;
  },
  async clear() {
    try {
      const { cleared } = await client().invoke('cache.clear', {});
      set({ saved: `Cleared ${cleared} cached answer${cleared === 1 ? '' : 's'}.`, error: null });
      await get().load();
    } catch (error) {
      set({ error: errorText(error), saved: null });
    }
  },
  async saveApi(apiServer) {
    const ok = await useSettings.getState().update({ apiServer });
    if (!ok) {
      set({ error: useSettings.getState().error, saved: null });
      return false;
    }
    await get().load();
    const api = get().api;
    set({ saved: api?.error ? null : apiServer.enabled ? `The endpoint is on at ${api?.baseUrl ?? ''}.` : 'The endpoint is off.' });
    return true;
  },
  async rotateToken() {
    try {
      set({ api: await client().invoke('api.rotateToken', {}), saved: 'New token made: update your editor’s configuration.', error: null });
    } catch (error) {
      set({ error: errorText(error), saved: null });
    }
  },
}));
