import { describe, expect, it } from 'vitest';
import { toOllamaError } from './ollama-errors';

const HOST = 'http://127.0.0.1:11434';

describe('toOllamaError', () => {
  it('says Ollama is not running when the connection is refused (real fetch)', async () => {
    const error = await fetch('http://127.0.0.1:2/api/version').catch((e: unknown) => e);
    expect(toOllamaError(error, 'http://127.0.0.1:2')).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/^Ollama is not running at http:\/\/127\.0\.0\.1:2\./) });
  });

  it("names a port fetch refuses instead of 'fetch failed' (real fetch)", async () => {
    const error = await fetch('http://127.0.0.1:1/api/version').catch((e: unknown) => e);
    const mapped = toOllamaError(error, 'http://127.0.0.1:1');
    expect(mapped.code).toBe('unavailable');
    expect(mapped.message).toMatch(/cannot connect to http:\/\/127\.0\.0\.1:1: fetch refuses that port .* default is 11434/);
  });

  it('adds the cause to other network failures', () => {
    const error = new TypeError('fetch failed', { cause: new Error('other side closed') });
    expect(toOllamaError(error, HOST).message).toBe(`The connection to Ollama at ${HOST} failed: fetch failed (other side closed)`);
  });

  it('maps a missing model to model_not_found with the pull command', () => {
    const error = Object.assign(new Error('model "x:1b" not found, try pulling it first'), { status_code: 404 });
    expect(toOllamaError(error, HOST, 'x:1b')).toMatchObject({ code: 'model_not_found', message: expect.stringContaining('ollama pull x:1b') });
  });
});
