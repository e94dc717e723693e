import { randomBytes } from 'node:crypto';
import type { ApiStatus } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { redactor } from '../secrets/redactor';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsRepo } from '../store';

export const API_TOKEN_ENV = 'SWITCHBOARD_API_TOKEN';
const ACCOUNT = 'api-token';
/** Where the token lives when the OS keychain is unavailable (a key outside the Settings schema). */
const DB_KEY = 'apiServerToken';

export interface ApiToken {
  token: string;
  source: ApiStatus['tokenSource'];
}

/**
 * The OpenAI-compatible endpoint's bearer token: SWITCHBOARD_API_TOKEN when set, else a random
 * token made once and kept in the OS keychain (or, without one, in the database, so it survives a
 * restart and editors keep working). Read once per process, then from memory.
 */
export class ApiTokenStore {
  private current: Promise<ApiToken> | null = null;

  constructor(private readonly d: { env: NodeJS.ProcessEnv; secrets: SecretStore; repo: SettingsRepo }) {}

  get(): Promise<ApiToken> {
    this.current ??= this.load().catch((error: unknown) => {
      this.current = null;
      throw error;
    });
    return this.current;
  }

  /** A new random token; the old one stops working at once. */
  async rotate(): Promise<ApiToken> {
    if (this.d.env[API_TOKEN_ENV]) {
      throw new SwitchboardError('conflict', `The API token comes from ${API_TOKEN_ENV}; change or unset that variable instead.`);
    }
    const token = newToken();
    this.current = this.save(token);
    return this.current;
  }

  private async load(): Promise<ApiToken> {
    const fromEnv = this.d.env[API_TOKEN_ENV]?.trim();
    if (fromEnv) {
      redactor.add(fromEnv);
      return { token: fromEnv, source: 'env' };
    }
    if (await this.keychainAvailable()) {
      const stored = await this.d.secrets.getOwn(ACCOUNT);
      if (stored) return { token: stored, source: 'keychain' };
    } else {
      const stored = this.d.repo.all()[DB_KEY];
      if (typeof stored === 'string' && stored) {
        redactor.add(stored);
        return { token: stored, source: 'database' };
      }
    }
    return this.save(newToken());
  }

  private async save(token: string): Promise<ApiToken> {
    redactor.add(token);
    if (await this.keychainAvailable()) {
      await this.d.secrets.setOwn(ACCOUNT, token);
      return { token, source: 'keychain' };
    }
    this.d.repo.set(DB_KEY, token);
    return { token, source: 'database' };
  }

  private async keychainAvailable(): Promise<boolean> {
    return (await this.d.secrets.keychainStatus()).available;
  }
}

/** 32 random bytes; the `sb-` prefix makes it recognisable (and redactable) in a config file. */
function newToken(): string {
  return `sb-${randomBytes(32).toString('base64url')}`;
}
