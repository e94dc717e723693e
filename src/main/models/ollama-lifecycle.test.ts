import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import { candidatePaths, OllamaLifecycle, type OllamaChild, type OllamaLifecycleDeps } from './ollama-lifecycle';

class FakeChild extends EventEmitter implements OllamaChild {
  exitCode: number | null = null;
  readonly pid = 4242;
  signals: string[] = [];
  constructor(private readonly stderr = '') {
    super();
  }
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    this.signals.push(signal);
    this.exit(null, signal);
    return true;
  }
  exit(code: number | null, signal: string | null = null): void {
    if (this.exitCode !== null) return;
    this.exitCode = code ?? -1;
    this.emit('exit', code, signal);
  }
  stderrTail(): string {
    return this.stderr;
  }
}

function lifecycle(over: Partial<OllamaLifecycleDeps> & { files?: string[] } = {}) {
  const files = new Set(over.files ?? []);
  const deps: OllamaLifecycleDeps = {
    host: () => 'http://127.0.0.1:11434',
    version: async () => {
      throw new Error('Ollama is not running');
    },
    spawn: () => new FakeChild(),
    platform: 'linux',
    env: { PATH: '/home/ada/bin:/usr/bin' },
    homedir: () => '/home/ada',
    isExecutable: async (f) => files.has(f),
    exists: async (f) => files.has(f),
    logger: silentLogger,
    startTimeoutMs: 500,
    pollIntervalMs: 5,
    ...over,
  };
  return new OllamaLifecycle(deps);
}

describe('finding Ollama', () => {
  it('looks on PATH first, then where the installers put it', () => {
    expect(candidatePaths('linux', { PATH: '/opt/x:/usr/bin' }, '/home/ada')).toEqual(['/opt/x/ollama', '/usr/bin/ollama', '/usr/local/bin/ollama']);
    expect(candidatePaths('darwin', { PATH: '' }, '/Users/ada')).toContain('/Applications/Ollama.app/Contents/Resources/ollama');
    expect(candidatePaths('win32', { Path: 'C:\\Tools', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, 'C:\\Users\\ada')).toEqual([
      'C:\\Tools\\ollama.exe',
      'C:\\Users\\ada\\AppData\\Local\\Programs\\Ollama\\ollama.exe',
    ]);
  });

  it('reports installed-but-stopped, and install guidance with the download URL when missing', async () => {
    const installed = await lifecycle({ files: ['/usr/local/bin/ollama'] }).status();
    expect(installed).toMatchObject({ installed: true, binaryPath: '/usr/local/bin/ollama', running: false, local: true, guidance: null });

    const missing = await lifecycle({ files: ['/home/ada/.ollama'] }).status();
    expect(missing).toMatchObject({ installed: false, running: false, guidance: { url: 'https://ollama.com/download', command: 'curl -fsSL https://ollama.com/install.sh | sh' } });
    expect(missing.guidance?.steps.join(' ')).toMatch(/\/home\/ada\/\.ollama exists/);
    expect((await lifecycle({ platform: 'win32', env: {} }).status()).guidance?.summary).toMatch(/installer for Windows/);
  });

  it('counts a loopback host (or 0.0.0.0) as this machine, nothing else', () => {
    const l = lifecycle();
    for (const host of ['http://127.0.0.1:11434', 'http://localhost:11434', 'http://[::1]:11434', 'http://127.0.0.2:11434', 'http://0.0.0.0:11434']) expect(l.isLocalHost(host), host).toBe(true);
    for (const host of ['http://gpu-box:11434', 'http://localhost.evil.com:11434', 'http://192.168.1.5:11434', 'not a url']) expect(l.isLocalHost(host), host).toBe(false);
  });
});

describe('starting and stopping', () => {
  it('starts ollama serve on the configured port and stops only what it started', async () => {
    let running = false;
    const spawned: Array<{ command: string; args: string[]; host?: string }> = [];
    const child = new FakeChild();
    const l = lifecycle({
      files: ['/usr/bin/ollama'],
      host: () => 'http://localhost:11500',
      version: async () => {
        if (!running) throw new Error('connection refused');
        return '0.12.6';
      },
      spawn: (command, args, { env }) => {
        spawned.push({ command, args, host: env.OLLAMA_HOST });
        setTimeout(() => (running = true), 20);
        return child;
      },
    });
    const status = await l.start();
    expect(spawned).toEqual([{ command: '/usr/bin/ollama', args: ['serve'], host: '127.0.0.1:11500' }]);
    expect(status).toMatchObject({ running: true, version: '0.12.6', startedByUs: true });
    expect(await l.stop()).toBe(true);
    expect(child.signals).toEqual(['SIGTERM']);
    expect(await l.stop()).toBe(false);
  });

  it('does not start a second one when Ollama already answers', async () => {
    let spawns = 0;
    const l = lifecycle({ version: async () => '0.12.6', spawn: () => (spawns++, new FakeChild()) });
    expect(await l.start()).toMatchObject({ running: true, startedByUs: false });
    expect(spawns).toBe(0);
    expect(await l.dispose()).toBe(false);
  });

  it('says why when it cannot start', async () => {
    await expect(lifecycle().start()).rejects.toThrow(/not installed.*https:\/\/ollama.com\/download/);
    await expect(lifecycle({ host: () => 'http://gpu-box:11434', files: ['/usr/bin/ollama'] }).start()).rejects.toThrow(/another machine/);
    const dies = lifecycle({
      files: ['/usr/bin/ollama'],
      spawn: () => {
        const c = new FakeChild('Error: listen tcp 127.0.0.1:11434: bind: address already in use');
        setTimeout(() => c.exit(1), 5);
        return c;
      },
    });
    await expect(dies.start()).rejects.toThrow(/stopped at once \(exit code 1\): .*address already in use/);
  });
});

describe('starting at launch (Settings → ollamaAutoStart)', () => {
  it('starts only a local, installed Ollama that is not running', async () => {
    const spawned: string[] = [];
    const spawn = (command: string) => (spawned.push(command), new FakeChild());
    expect(await lifecycle({ host: () => 'http://gpu-box:11434', files: ['/usr/bin/ollama'], spawn }).startAtLaunch()).toEqual({ outcome: 'skipped', reason: 'not-local' });
    expect(await lifecycle({ files: ['/usr/bin/ollama'], version: async () => '0.12.6', spawn }).startAtLaunch()).toEqual({ outcome: 'skipped', reason: 'running' });
    expect(await lifecycle({ spawn }).startAtLaunch()).toEqual({ outcome: 'skipped', reason: 'not-installed' });
    expect(spawned).toEqual([]);
  });

  it('never throws: a failed start is returned and stays visible in status().error', async () => {
    const l = lifecycle({
      files: ['/usr/bin/ollama'],
      spawn: () => {
        const c = new FakeChild('Error: listen tcp 127.0.0.1:11434: bind: address already in use');
        setTimeout(() => c.exit(1), 5);
        return c;
      },
    });
    expect(await l.startAtLaunch()).toEqual({ outcome: 'failed', error: expect.stringMatching(/stopped at once \(exit code 1\)/) });
    expect(await l.status()).toMatchObject({ running: false, startedByUs: false, error: expect.stringMatching(/address already in use/) });
  });

  it('a quit while ollama serve is still starting stops it and leaves nothing behind', async () => {
    const child = new FakeChild();
    let spawned!: () => void;
    const spawnedOnce = new Promise<void>((r) => (spawned = r));
    const l = lifecycle({ files: ['/usr/bin/ollama'], startTimeoutMs: 60_000, spawn: () => (spawned(), child) });
    const launch = l.startAtLaunch();
    await spawnedOnce;
    expect(await l.dispose()).toBe(true);
    expect(child.signals).toEqual(['SIGTERM']);
    expect(await launch).toEqual({ outcome: 'failed', error: expect.stringMatching(/quitting/) });
  });

  it('does not spawn at all once disposed', async () => {
    let spawns = 0;
    const l = lifecycle({ files: ['/usr/bin/ollama'], spawn: () => (spawns++, new FakeChild()) });
    await l.dispose();
    expect(await l.startAtLaunch()).toMatchObject({ outcome: 'failed' });
    expect(spawns).toBe(0);
  });
});
