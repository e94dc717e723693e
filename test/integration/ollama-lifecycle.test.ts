import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { OllamaChild, SpawnOllama } from '../../src/main/models';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { NOTHING_LISTENING_URL, closedPort, createTestApp, type TestApp } from '../helpers/app-harness';

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
