import { create } from 'zustand';
import type { KeychainStatus, SecretProvider, SecretStatus, Settings } from '../../../shared/contract';
import { ClientError, client } from '../client/switchboard-client';
import { errorText } from './errors';
import { fieldErrorText } from './field-error';

interface SettingsState {
  settings: Settings | null;
  keychain: KeychainStatus | null;
  secrets: SecretStatus[];
  error: string | null;
  /** Per provider: why its key was not saved, shown next to its field (issue #14). */
  keyErrors: Partial<Record<SecretProvider, string>>;
  /** Per setting: why a change of that one setting was refused, shown next to its field (issue #14). */
  fieldErrors: Partial<Record<keyof Settings, string>>;
  saved: string | null;
  load(): Promise<void>;
  update(patch: Partial<Settings>): Promise<boolean>;
  setKey(provider: SecretProvider, value: string): Promise<boolean>;
  deleteKey(provider: SecretProvider): Promise<void>;
  applySettings(settings: Settings): void;
}

/** Settings whose form shows a refused value next to its field; any other error stays in the page's banner. */
const INLINE_ERRORS: ReadonlySet<keyof Settings> = new Set<keyof Settings>(['ollamaHost', 'workspace']);

export const useSettings = create<SettingsState>((set, get) => ({
  settings: null,
  keychain: null,
  secrets: [],
  error: null,
  keyErrors: {},
  fieldErrors: {},
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
      const fieldErrors = { ...get().fieldErrors };
      for (const key of Object.keys(patch) as Array<keyof Settings>) delete fieldErrors[key];
      set({ settings, error: null, fieldErrors, saved: 'Saved.' });
      return true;
    } catch (error) {
      // A refused value of one setting is said next to its field, in the input's own words.
      const keys = Object.keys(patch) as Array<keyof Settings>;
      if (keys.length === 1 && INLINE_ERRORS.has(keys[0]!) && error instanceof ClientError && error.code === 'invalid_input') {
        set({ fieldErrors: { ...get().fieldErrors, [keys[0]!]: fieldErrorText(error) }, error: null, saved: null });
      } else set({ error: errorText(error), saved: null });
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
