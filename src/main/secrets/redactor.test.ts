import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../shared/errors';
import { silentLogger } from '../logger';
import { MemoryKeychain } from './keychain';
import { REDACTED, Redactor } from './redactor';
import { SecretStore } from './secret-store';

describe('Redactor', () => {
  it('masks every secret it was told, however it is shaped, longest first', () => {
    const r = new Redactor();
    r.add('Qx9-odd-4471');
    r.add('Qx9-odd-4471-longer');
    r.add('abc'); // too short to mask safely: ignored
    expect(r.text('sent Qx9-odd-4471 then Qx9-odd-4471-longer, abc')).toBe(`sent ${REDACTED} then ${REDACTED}, abc`);
    expect(r.text('url ?k=Qx9%2Fodd%2B1234')).toBe('url ?k=Qx9%2Fodd%2B1234');
    r.add('Qx9/odd+1234');
    expect(r.text('url ?k=Qx9%2Fodd%2B1234')).toBe(`url ?k=${REDACTED}`);
  });

  it('masks what is shaped like a key without being told it', () => {
    const r = new Redactor();
    const cases: Array<[string, string]> = [
      ['Incorrect API key provided: sk-proj-AbCdEf0123456789xyz.', `Incorrect API key provided: ${REDACTED}.`],
      ['bad key sk-ant-api03-AAAAAAAAAAAAAAAA', `bad key ${REDACTED}`],
      ['sk-or-v1-0123456789abcdef rejected', `${REDACTED} rejected`],
      ['gsk_ABCDEFGHIJKL0123 is invalid', `${REDACTED} is invalid`],
      ['Authorization: Bearer eyJhbGciOi.J9-xyz_123', `Authorization: Bearer ${REDACTED}`],
      ['{"api_key":"a1b2c3d4e5"}', `{"api_key":"${REDACTED}"}`],
      ['Incorrect API key provided: 8f3a9c0d1e2b4a5f6c7d8e9f0a1b2c3d.', `Incorrect API key provided: ${REDACTED}.`],
      ['token is QUJDREVGR0hJSktMTU5PUFFSU1RVVldY0123==', `token is ${REDACTED}`],
      ['secret=ZmFrZS1zZWNyZXQtdmFsdWUtMTIzNDU2', `secret=${REDACTED}`],
    ];
    for (const [input, output] of cases) expect(r.text(input), input).toBe(output);
  });

  it('leaves ordinary provider text alone', () => {
    const r = new Redactor();
    for (const text of [
      "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
      'Rate limit reached for gpt-4o-mini in organization org-fake on tokens per min (TPM): Limit 30000, Used 30000.',
      'Incorrect API key provided: sk-proj-****abcd. You can find your API key at https://platform.openai.com/account/api-keys.',
      'The model `deepseek-chat` does not exist or you do not have access to it.',
    ]) {
      expect(r.text(text)).toBe(text);
    }
  });

  it('masks an error’s message and every string in its details, and keeps the rest', () => {
    const r = new Redactor();
    r.add('Qx9-odd-4471');
    const cause = new Error('raw');
    const error = new SwitchboardError('auth', 'rejected Qx9-odd-4471', {
      retryable: false,
      status: 401,
      retryAfterMs: 5,
      cause,
      details: { providerMessage: 'Incorrect API key provided: Qx9-odd-4471', nested: [{ text: 'Qx9-odd-4471' }, 3], status: 401 },
    });
    const masked = r.error(error);
    expect(masked).toBeInstanceOf(SwitchboardError);
    expect(masked).toMatchObject({ code: 'auth', retryable: false, status: 401, retryAfterMs: 5, cause, message: `rejected ${REDACTED}` });
    expect(masked.details).toEqual({ providerMessage: `Incorrect API key provided: ${REDACTED}`, nested: [{ text: REDACTED }, 3], status: 401 });
  });

  it('is fed by the SecretStore: environment keys at once, keychain keys when read or set', async () => {
    const r = new Redactor();
    const keychain = new MemoryKeychain();
    await keychain.setPassword('Switchboard', 'openai', 'Kc-stored-7781');
    const store = new SecretStore({ keychain, env: { GROQ_API_KEY: 'Env-groq-5512' }, logger: silentLogger, redactor: r });
    expect(r.text('Env-groq-5512')).toBe(REDACTED);
    expect(r.text('Kc-stored-7781')).toBe('Kc-stored-7781');
    await store.status('openai');
    expect(r.text('Kc-stored-7781')).toBe(REDACTED);
    await store.set('deepseek', 'Kc-new-9090');
    await store.setCustom('lan', 'Kc-custom-3434');
    // A replaced key stays masked: old text may still repeat it.
    await store.set('deepseek', 'Kc-newer-9191');
    expect(r.text('Kc-new-9090 Kc-custom-3434 Kc-newer-9191')).toBe(`${REDACTED} ${REDACTED} ${REDACTED}`);
  });
});
