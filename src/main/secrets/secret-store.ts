import type { KeychainStatus, SecretProvider, SecretStatus } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import type { Logger } from '../logger';
import { MemoryKeychain, type KeychainBackend } from './keychain';
import { redactor as processRedactor, type Redactor } from './redactor';

export const KEYCHAIN_SERVICE = 'Switchboard';

/** The variables the official SDKs read; they take precedence over the keychain. */
export const SECRET_ENV_VARS: Record<SecretProvider, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  groq: 'GROQ_API_KEY',
  openrouter: 'OPENROUTER_API_KEY',
  deepseek: 'DEEPSEEK_API_KEY',
};

export const SECRET_PROVIDERS = Object.keys(SECRET_ENV_VARS) as SecretProvider[];

export interface SecretStoreOptions {
  /** The OS keychain (keytar), or null when it could not be loaded. */
  keychain: KeychainBackend | null;
  /** Why the keychain could not be loaded, when it could not. */
  keychainError?: string | null;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  service?: string;
  /** Told every secret this store reads or writes, so provider text and logs mask it. Default: the process's. */
  redactor?: Redactor;
}

/**
 * API keys: environment first, then the OS keychain; a session-only memory store when the keychain
 * is unavailable (Linux without a Secret Service). Keys never leave this class except to a provider
 * client: the renderer sees `{ configured, source, last4 }`. Operations on one key are serialised.
 */
export class SecretStore {
  private readonly memory = new MemoryKeychain();
  private readonly queues = new Map<string, Promise<unknown>>();
  private keychainState: KeychainStatus | null = null;
  private warned = false;
  private readonly service: string;
  private readonly redactor: Redactor;

  constructor(private readonly options: SecretStoreOptions) {
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.redactor = options.redactor ?? processRedactor;
    // Keys in the environment are known at once; keychain keys as soon as they are read or set.
    for (const provider of SECRET_PROVIDERS) this.redactor.add(options.env[SECRET_ENV_VARS[provider]]);
  }

  /** Probes the keychain once (a read of an account that does not exist) and remembers the answer. */
  async keychainStatus(): Promise<KeychainStatus> {
    if (this.keychainState) return this.keychainState;
    const { keychain, keychainError } = this.options;
    if (!keychain) {
      this.keychainState = { available: false, reason: explain(keychainError ?? 'no keychain module') };
    } else {
      try {
        await keychain.getPassword(this.service, '__switchboard_probe__');
        this.keychainState = { available: true, reason: null };
      } catch (error) {
        this.keychainState = { available: false, reason: explain(error instanceof Error ? error.message : String(error)) };
      }
    }
    if (!this.keychainState.available && !this.warned) {
      this.warned = true;
      this.options.logger.warn('OS keychain unavailable; API keys entered now are kept for this session only', {
        reason: this.keychainState.reason,
      });
    }
    return this.keychainState;
  }

  /** The key for a provider, or null. Only provider clients call this. */
  async get(provider: SecretProvider): Promise<string | null> {
    const fromEnv = this.options.env[SECRET_ENV_VARS[provider]];
    if (fromEnv) return fromEnv;
    return this.serial(provider, async () => {
      const value = await (await this.backend()).getPassword(this.service, provider);
      this.redactor.add(value);
      return value;
    });
  }

  async status(provider: SecretProvider): Promise<SecretStatus> {
    const envVar = SECRET_ENV_VARS[provider];
    const fromEnv = this.options.env[envVar];
    if (fromEnv) return { provider, configured: true, source: 'env', last4: last4(fromEnv), envVar };
    const available = (await this.keychainStatus()).available;
    const stored = await this.serial(provider, async () => (await this.backend()).getPassword(this.service, provider));
    this.redactor.add(stored);
    if (!stored) return { provider, configured: false, source: null, last4: null, envVar };
    return { provider, configured: true, source: available ? 'keychain' : 'memory', last4: last4(stored), envVar };
  }

  async statusAll(): Promise<SecretStatus[]> {
    return Promise.all(SECRET_PROVIDERS.map((p) => this.status(p)));
  }

  async set(provider: SecretProvider, value: string): Promise<SecretStatus> {
    const trimmed = value.trim();
    if (/\s/.test(trimmed)) throw new SwitchboardError('invalid_input', 'An API key has no spaces or line breaks in it.');
    this.redactor.add(trimmed);
    await this.serial(provider, async () => (await this.backend()).setPassword(this.service, provider, trimmed));
    return this.status(provider);
  }

  async delete(provider: SecretProvider): Promise<SecretStatus> {
    await this.serial(provider, async () => (await this.backend()).deletePassword(this.service, provider));
    return this.status(provider);
  }

  /** Keys of user-added endpoints live under `custom:<id>`; no environment variable applies. */
  async getCustom(endpointId: string): Promise<string | null> {
    const account = `custom:${endpointId}`;
    const value = await this.serial(account, async () => (await this.backend()).getPassword(this.service, account));
    this.redactor.add(value);
    return value;
  }

  async setCustom(endpointId: string, value: string): Promise<void> {
    const account = `custom:${endpointId}`;
    const trimmed = value.trim();
    if (/\s/.test(trimmed)) throw new SwitchboardError('invalid_input', 'An API key has no spaces or line breaks in it.');
    this.redactor.add(trimmed);
    await this.serial(account, async () => (await this.backend()).setPassword(this.service, account, trimmed));
  }

  async deleteCustom(endpointId: string): Promise<void> {
    const account = `custom:${endpointId}`;
    await this.serial(account, async () => (await this.backend()).deletePassword(this.service, account));
  }

  async customStatus(endpointId: string): Promise<{ configured: boolean; source: 'keychain' | 'memory' | null; last4: string | null }> {
    const value = await this.getCustom(endpointId);
    if (!value) return { configured: false, source: null, last4: null };
    return { configured: true, source: (await this.keychainStatus()).available ? 'keychain' : 'memory', last4: last4(value) };
  }

  /** Switchboard's own secrets (the local API token) under `switchboard:<name>`; no environment variable applies. */
  async getOwn(name: string): Promise<string | null> {
    const account = `switchboard:${name}`;
    const value = await this.serial(account, async () => (await this.backend()).getPassword(this.service, account));
    this.redactor.add(value);
    return value;
  }

  async setOwn(name: string, value: string): Promise<void> {
    const account = `switchboard:${name}`;
    this.redactor.add(value);
    await this.serial(account, async () => (await this.backend()).setPassword(this.service, account, value));
  }

  private async backend(): Promise<KeychainBackend> {
    const status = await this.keychainStatus();
    return status.available && this.options.keychain ? this.options.keychain : this.memory;
  }

  private serial<T>(key: string, op: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(op, op);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, settled);
    return next.catch((error: unknown) => {
      throw new SwitchboardError('keychain_unavailable', `The OS keychain refused the operation: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
  }
}

function last4(value: string): string {
  return value.length <= 8 ? '••••' : value.slice(-4);
}

function explain(raw: string): string {
  if (/secret service|org\.freedesktop|d-?bus/i.test(raw)) {
    return `No Secret Service is running (${raw}). Install and unlock gnome-keyring or KWallet, or set keys in environment variables. Keys entered now are kept for this session only.`;
  }
  return `The OS keychain is unavailable (${raw}). Keys entered now are kept for this session only.`;
}
