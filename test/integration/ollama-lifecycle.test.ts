import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/main/logger';
import type { OllamaChild, SpawnOllama } from '../../src/main/models';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { NOTHING_LISTENING_URL, closedPort, createTestApp, tempDir, waitFor, type TestApp } from '../helpers/app-harness';

/**
 * A stand-in for `ollama serve`: "spawning" it starts the fake Ollama on the port OLLAMA_HOST names,
 * and killing it closes that server, so the app sees exactly what a real start and stop look like.
 */
function fakeOllamaServe() {
  const spawned: Array<{ command: string; args: string[]; host: string | undefined }> = [];
  let server: FakeOllama | null = null;
  const spawn: SpawnOllama = (command, args, { env }) => {
    spawned.push({ command, args, host: env.OLLAMA_HOST });
    const emitter = new EventEmitter();
    const port = Number(env.OLLAMA_HOST?.split(':').at(-1));
    const starting = startFakeOllama({ port, version: '0.12.6' }).then((s) => (server = s));
    const child: OllamaChild & { exitCode: number | null } = {
      pid: 31337,
      exitCode: null,
      kill: () => {
        void starting.then((s) => s.close()).then(() => {
          child.exitCode = 0;
          emitter.emit('exit', null, 'SIGTERM');
        });
        return true;
      },
      once: (event, listener) => emitter.once(event, listener),
      stderrTail: () => '',
    };
    return child;
  };
  return { spawn, spawned, server: () => server };
}

let h: TestApp | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const onlyUsrLocal = { isExecutable: async (f: string) => f === '/usr/local/bin/ollama', exists: async () => false, platform: 'linux', homedir: () => '/home/ada' };

describe('Ollama lifecycle', () => {
  it('starts ollama serve when installed but not running, and stops it on quit', async () => {
    const port = await closedPort();
    const serve = fakeOllamaServe();
    h = createTestApp({ ollamaUrl: `http://127.0.0.1:${port}`, env: { PATH: '/nowhere' }, setup: { lifecycle: { ...onlyUsrLocal, spawn: serve.spawn, pollIntervalMs: 10 } } });

    expect(await h.app.call('ollama.status', {})).toMatchObject({ installed: true, binaryPath: '/usr/local/bin/ollama', running: false, local: true, startedByUs: false, guidance: null });
    const started = await h.app.call('ollama.start', {});
    expect(started).toMatchObject({ running: true, version: '0.12.6', startedByUs: true });
    expect(serve.spawned).toEqual([{ command: '/usr/local/bin/ollama', args: ['serve'], host: `127.0.0.1:${port}` }]);
    // The app now talks to it like any Ollama.
    expect((await h.app.call('system.status', {})).ollama).toMatchObject({ reachable: true, version: '0.12.6' });

    await h.app.dispose();
    await expect(fetch(`http://127.0.0.1:${port}/api/version`)).rejects.toThrow();
  });

  it('leaves an Ollama it did not start alone', async () => {
    const running = await startFakeOllama({ version: '0.12.6' });
    const serve = fakeOllamaServe();
    try {
      h = createTestApp({ ollamaUrl: running.url, setup: { lifecycle: { ...onlyUsrLocal, spawn: serve.spawn } } });
      expect(await h.app.call('ollama.start', {})).toMatchObject({ running: true, startedByUs: false });
      await h.app.dispose();
      expect(serve.spawned).toEqual([]);
      expect((await fetch(`${running.url}/api/version`)).ok).toBe(true);
    } finally {
      await running.close();
    }
  });

  it('gives install guidance when Ollama is missing', async () => {
    h = createTestApp({ ollamaUrl: NOTHING_LISTENING_URL, env: { PATH: '/nowhere' }, setup: { lifecycle: { ...onlyUsrLocal, isExecutable: async () => false } } });
    const status = await h.app.call('ollama.status', {});
    expect(status).toMatchObject({ installed: false, running: false, guidance: { platform: 'linux', url: 'https://ollama.com/download' } });
    await expect(h.app.call('ollama.start', {})).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/ollama\.com\/download/) });
  });
});

/**
 * The app as the desktop app and headless mode start it (`background: true`), offline so the
 * OpenRouter price refresh that background also starts never reaches the network; starting a
 * local Ollama is allowed offline. Its log lines are kept, to wait for the launch decision.
 */
function launchApp(options: { ollamaUrl: string; spawn: SpawnOllama; dataDir?: string }) {
  const lines: Array<{ msg: string; reason?: string }> = [];
  const logger = createLogger({ level: 'debug', sink: { write: (line) => lines.push(JSON.parse(line) as { msg: string; reason?: string }) } });
  const harness = createTestApp({
    ollamaUrl: options.ollamaUrl,
    dataDir: options.dataDir,
    env: { PATH: '/nowhere' },
    background: true,
    offline: true,
    logger,
    setup: { lifecycle: { ...onlyUsrLocal, spawn: options.spawn, pollIntervalMs: 10 } },
  });
  const skipped = () => waitFor(() => lines.find((l) => l.msg === 'not starting ollama serve at launch'), 'the launch decision');
  return { harness, lines, skipped };
}

describe('Ollama started at launch (Settings → ollamaAutoStart)', () => {
  it('starts ollama serve by itself when installed but not running, and stops it on quit', async () => {
    const port = await closedPort();
    const serve = fakeOllamaServe();
    const launched = launchApp({ ollamaUrl: `http://127.0.0.1:${port}`, spawn: serve.spawn });
    h = launched.harness;
    expect(h.app.services.settings.get().ollamaAutoStart).toBe(true); // the default

    await waitFor(() => launched.lines.find((l) => l.msg === 'started ollama serve at launch'), 'ollama serve started at launch');
    expect(serve.spawned).toEqual([{ command: '/usr/local/bin/ollama', args: ['serve'], host: `127.0.0.1:${port}` }]);
    expect(await h.app.call('ollama.status', {})).toMatchObject({ running: true, startedByUs: true, version: '0.12.6', error: null });

    await h.app.dispose();
    await expect(fetch(`http://127.0.0.1:${port}/api/version`)).rejects.toThrow();
  });

  it('does not start it when the setting is off', async () => {
    const dataDir = tempDir();
    const first = createTestApp({ dataDir, ollamaUrl: NOTHING_LISTENING_URL });
    await first.app.call('settings.update', { ollamaAutoStart: false });
    await first.app.dispose(); // the data dir stays for the next launch

    const serve = fakeOllamaServe();
    const launched = launchApp({ dataDir, ollamaUrl: NOTHING_LISTENING_URL, spawn: serve.spawn });
    h = launched.harness;
    expect(h.app.services.settings.get().ollamaAutoStart).toBe(false);
    expect(await h.app.call('ollama.status', {})).toMatchObject({ installed: true, running: false, startedByUs: false });
    // dispose waits for a launch start still under way, so after it nothing can spawn any more.
    await h.app.dispose();
    expect(launched.lines.filter((l) => /at launch/.test(l.msg))).toEqual([]);
    expect(serve.spawned).toEqual([]);
  });

  it('does not start it when the Ollama host is another machine', async () => {
    const serve = fakeOllamaServe();
    // A reserved TEST-NET address (RFC 5737): not this machine, and never asked (the decision comes first).
    const launched = launchApp({ ollamaUrl: 'http://192.0.2.10:11434', spawn: serve.spawn });
    h = launched.harness;
    expect(await launched.skipped()).toMatchObject({ reason: 'not-local' });
    await h.app.dispose();
    expect(serve.spawned).toEqual([]);
  });

  it('does not start a second one when Ollama is already running', async () => {
    const running = await startFakeOllama({ version: '0.12.6' });
    try {
      const serve = fakeOllamaServe();
      const launched = launchApp({ ollamaUrl: running.url, spawn: serve.spawn });
      h = launched.harness;
      expect(await launched.skipped()).toMatchObject({ reason: 'running' });
      expect(await h.app.call('ollama.status', {})).toMatchObject({ running: true, startedByUs: false });
      await h.app.dispose();
      expect(serve.spawned).toEqual([]);
      expect((await fetch(`${running.url}/api/version`)).ok).toBe(true);
    } finally {
      await running.close();
    }
  });
});
