import { create } from 'zustand';
import type { KeychainStatus, SecretProvider, SecretStatus, Settings } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';
import { fieldErrorText } from './field-error';

interface SettingsState {
  settings: Settings | null;
  keychain: KeychainStatus | null;
  secrets: SecretStatus[];
  error: string | null;
  /** Per provider: why its key was not saved, shown next to its field (issue #14). */
  keyErrors: Partial<Record<SecretProvider, string>>;
  saved: string | null;
  load(): Promise<void>;
  update(patch: Partial<Settings>): Promise<boolean>;
  setKey(provider: SecretProvider, value: string): Promise<boolean>;
  deleteKey(provider: SecretProvider): Promise<void>;
  applySettings(settings: Settings): void;
}

export const useSettings = create<SettingsState>((set, get) => ({
  settings: null,
  keychain: null,
  secrets: [],
  error: null,
  keyErrors: {},
  saved: null,
  async load() {
    try {
      const [settings, secrets] = await Promise.all([client().invoke('settings.get', {}), client().invoke('secrets.status', {})]);
      set({ settings, keychain: secrets.keychain, secrets: secrets.secrets, error: null });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async update(patch) {
    try {
      const settings = await client().invoke('settings.update', patch);
      set({ settings, error: null, saved: 'Saved.' });
      return true;
    } catch (error) {
      set({ error: errorText(error), saved: null });
      return false;
    }
  },
  async setKey(provider, value) {
    try {
      const status = await client().invoke('secrets.set', { provider, value });
      set({ secrets: get().secrets.map((s) => (s.provider === provider ? status : s)), keyErrors: { ...get().keyErrors, [provider]: undefined }, saved: `Saved the ${provider} key.` });
      return true;
    } catch (error) {
      set({ keyErrors: { ...get().keyErrors, [provider]: fieldErrorText(error) }, saved: null });
      return false;
    }
  },
  async deleteKey(provider) {
    try {
      const status = await client().invoke('secrets.delete', { provider });
      set({ secrets: get().secrets.map((s) => (s.provider === provider ? status : s)), error: null, saved: `Removed the ${provider} key.` });
    } catch (error) {
      set({ error: errorText(error), saved: null });
    }
  },
  applySettings(settings) {
    set({ settings });
  },
}));
