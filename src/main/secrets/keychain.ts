import { createRequire } from 'node:module';

/** The part of keytar we use; tests and the memory fallback implement the same shape. */
export interface KeychainBackend {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export type KeychainLoad = { backend: KeychainBackend; error: null } | { backend: null; error: string };

/**
 * Loads keytar. Under Electron, `nativePath` points at the keytar.node rebuilt for Electron's ABI
 * (see scripts/electron-natives.mjs); under Node the package's own build is used.
 */
export function loadKeytar(nativePath?: string): KeychainLoad {
  const require = createRequire(import.meta.url);
  try {
    const mod = (nativePath ? require(nativePath) : require('keytar')) as KeychainBackend & { default?: KeychainBackend };
    const backend = typeof mod.getPassword === 'function' ? mod : mod.default;
    if (!backend) return { backend: null, error: 'keytar loaded but exposes no getPassword' };
    return { backend, error: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { backend: null, error: `the keychain module could not be loaded (${message})` };
  }
}

/** A process-lifetime store: what keeps a key for this session when the OS keychain is unavailable. */
export class MemoryKeychain implements KeychainBackend {
  private readonly values = new Map<string, string>();
  async getPassword(service: string, account: string): Promise<string | null> {
    return this.values.get(`${service}\u0000${account}`) ?? null;
  }
  async setPassword(service: string, account: string, password: string): Promise<void> {
    this.values.set(`${service}\u0000${account}`, password);
  }
  async deletePassword(service: string, account: string): Promise<boolean> {
    return this.values.delete(`${service}\u0000${account}`);
  }
}
