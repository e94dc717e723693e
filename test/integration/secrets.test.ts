import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../src/main/logger';
import { loadKeytar, MemoryKeychain, type KeychainBackend } from '../../src/main/secrets/keychain';
import { redactor } from '../../src/main/secrets/redactor';
import { SecretStore } from '../../src/main/secrets/secret-store';

const redact = (text: string): string => redactor.text(text);

const SERVICE = `SwitchboardTest-${process.pid}`;
// `npm test` runs under scripts/with-keyring.mjs, which starts a real Secret Service and sets this.
// In CI a missing keychain is a failure, not a skip.
const realKeyring = process.env.SWITCHBOARD_KEYRING === 'real' || process.env.CI === 'true';

describe.runIf(realKeyring)('SecretStore on the real OS keychain (Secret Service)', () => {
  const loaded = loadKeytar();
  const store = () => new SecretStore({ keychain: loaded.backend, keychainError: loaded.error, env: {}, logger: silentLogger, service: SERVICE });

  afterEach(async () => {
    await loaded.backend?.deletePassword(SERVICE, 'groq');
    await loaded.backend?.deletePassword(SERVICE, 'openai');
  });

  it('is available', async () => {
    expect(loaded.error).toBeNull();
    expect(await store().keychainStatus()).toEqual({ available: true, reason: null });
  });

  it('stores a key in the keychain, reports only last4, and deletes it', async () => {
    const s = store();
    const status = await s.set('groq', 'gsk_abcdefghijklmnop1234');
    expect(status).toEqual({ provider: 'groq', configured: true, source: 'keychain', last4: '1234', envVar: 'GROQ_API_KEY' });
    expect(JSON.stringify(status)).not.toContain('abcdefghijklmnop');
    // A new store (a restart) reads it back from the OS, not from memory.
    expect(await store().get('groq')).toBe('gsk_abcdefghijklmnop1234');
    expect(await loaded.backend!.getPassword(SERVICE, 'groq')).toBe('gsk_abcdefghijklmnop1234');
    expect(await s.delete('groq')).toMatchObject({ configured: false, source: null, last4: null });
    expect(await store().get('groq')).toBeNull();
  });

  it('serialises operations on one key: the last write wins', async () => {
    const s = store();
    await Promise.all(['sk-first-000000000001', 'sk-second-00000000002', 'sk-third-000000000003'].map((v) => s.set('openai', v)));
    expect(await store().get('openai')).toBe('sk-third-000000000003');
  });
});

describe('SecretStore policy', () => {
  it('environment variables take precedence over the keychain', async () => {
    const keychain = new MemoryKeychain();
    await keychain.setPassword('Switchboard', 'anthropic', 'sk-ant-from-keychain-0000');
    const s = new SecretStore({ keychain, env: { ANTHROPIC_API_KEY: 'sk-ant-from-env-99999999' }, logger: silentLogger });
    expect(await s.get('anthropic')).toBe('sk-ant-from-env-99999999');
    expect(await s.status('anthropic')).toMatchObject({ configured: true, source: 'env', last4: '9999' });
  });

  it('without a keychain, says so once and keeps keys for this session only', async () => {
    const lines: string[] = [];
    const logger = createLogger({ sink: { write: (l) => lines.push(l) } });
    const s = new SecretStore({ keychain: null, keychainError: 'Cannot autolaunch D-Bus without X11 $DISPLAY', env: {}, logger });
    const status = await s.keychainStatus();
    expect(status.available).toBe(false);
    expect(status.reason).toMatch(/No Secret Service.*session only/);
    expect(await s.set('deepseek', 'sk-deepseek-key-123456')).toMatchObject({ configured: true, source: 'memory', last4: '3456' });
    expect(await s.get('deepseek')).toBe('sk-deepseek-key-123456');
    await s.keychainStatus();
    expect(lines.filter((l) => l.includes('keychain unavailable'))).toHaveLength(1);
    // The warning never contains the key.
    expect(lines.join('\n')).not.toContain('sk-deepseek-key-123456');
  });

  it('a keychain that throws at runtime is reported as unavailable, not a crash', async () => {
    const broken: KeychainBackend = {
      getPassword: () => Promise.reject(new Error('org.freedesktop.DBus.Error.ServiceUnknown')),
      setPassword: () => Promise.reject(new Error('nope')),
      deletePassword: () => Promise.reject(new Error('nope')),
    };
    const s = new SecretStore({ keychain: broken, env: {}, logger: silentLogger });
    expect((await s.keychainStatus()).available).toBe(false);
    expect(await s.set('groq', 'gsk_123456789012345')).toMatchObject({ source: 'memory' });
  });

  it('rejects keys with whitespace inside', async () => {
    const s = new SecretStore({ keychain: new MemoryKeychain(), env: {}, logger: silentLogger });
    await expect(s.set('groq', 'gsk_abc def_123456')).rejects.toThrow(/no spaces/);
  });

  it('keys read from the store are redacted from every log line', async () => {
    const s = new SecretStore({ keychain: new MemoryKeychain(), env: {}, logger: silentLogger });
    await s.set('openrouter', 'zzz-custom-format-key-42');
    await s.get('openrouter');
    expect(redact('upstream said: bad key zzz-custom-format-key-42!')).toBe('upstream said: bad key [REDACTED]!');
    expect(redact('Authorization: Bearer abcdef123456789')).not.toContain('abcdef123456789');
    expect(redact('key sk-ant-api03-AAAAAAAAAAAAAAAA')).toBe('key [REDACTED]');
  });
});
