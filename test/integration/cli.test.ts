import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { NOTHING_LISTENING_URL, tempDir } from '../helpers/app-harness';
import { cli, npmCli } from '../helpers/cli-harness';

let ollama: FakeOllama;
beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b' }], version: '0.12.6' });
});
afterAll(() => ollama.close());

const env = (extra: NodeJS.ProcessEnv = {}) => ({ SWITCHBOARD_DATA_DIR: tempDir(), OLLAMA_HOST: ollama.url, ...extra });

describe('cli doctor', () => {
  it('--json reports Ollama, the keychain, the data dir and the schema version', async () => {
    const e = env();
    const { code, stdout } = await cli(['doctor', '--json'], e);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      dataDir: e.SWITCHBOARD_DATA_DIR,
      schemaVersion: expect.any(Number),
      ollama: { reachable: true, version: '0.12.6', host: ollama.url },
      keychain: { available: expect.any(Boolean) },
    });
    expect(code).toBe(report.ok ? 0 : 1);
  });

  it('exits non-zero when Ollama is down, and says where it looked', async () => {
    const host = NOTHING_LISTENING_URL;
    const { code, stdout } = await cli(['doctor', '--json'], env({ OLLAMA_HOST: host }));
    expect(code).toBe(1);
    expect(JSON.parse(stdout).ollama).toMatchObject({ reachable: false, host, error: expect.stringContaining('not running') });
  });
});

describe('cli chat', () => {
  it('streams the answer to stdout and a summary to stderr', async () => {
    ollama.setBehavior('llama3.2:3b', { reply: 'The answer is 42.' });
    const { code, stdout, stderr } = await cli(['chat', 'What is the answer?', '--model', 'ollama/llama3.2:3b'], env());
    expect(code).toBe(0);
    expect(stdout).toBe('The answer is 42.\n');
    expect(stderr).toMatch(/^\[ollama\/llama3\.2:3b · [\d.]+s · first token [\d.]+s · \d+ in \/ \d+ out tokens · \$0\.0000\]\n$/);
  });

  it('fails with one line on stderr and a non-zero code', async () => {
    const missing = await cli(['chat', 'hi', '--model', 'ollama/not-there:1b'], env());
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^switchboard chat: .*ollama pull not-there:1b/);

    const usage = await cli(['chat', 'hi', '--model', 'ollama/llama3.2:3b', '--local'], env());
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/either --model or --local/);

    const badId = await cli(['chat', 'hi', '--model', 'llama3'], env());
    expect(badId.code).toBe(1);
    expect(badId.stderr).toMatch(/provider\/model/);

    const unknown = await cli(['frobnicate'], env());
    expect(unknown.code).toBe(2);
  });

  it('works through npm run --silent cli without a build step', async () => {
    ollama.setBehavior('llama3.2:3b', { reply: 'via npm' });
    const { code, stdout } = await npmCli(['chat', 'hello', '--model', 'ollama/llama3.2:3b'], env());
    expect(code).toBe(0);
    expect(stdout).toBe('via npm\n');
  });
});
