import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { OllamaLifecycleStatus } from '../../shared/contract';
import { isAbortError, SwitchboardError } from '../../shared/errors';
import type { Logger } from '../logger';
import { isLoopbackHost } from '../net';
import { installGuidance } from './install-guidance';

/** The slice of a ChildProcess the lifecycle uses, so tests can hand in a fake. */
export interface OllamaChild {
  readonly pid?: number;
  readonly exitCode: number | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  /** The end of what it wrote to stderr, for an error message when it exits at once. */
  stderrTail(): string;
}

export type SpawnOllama = (command: string, args: string[], options: { env: NodeJS.ProcessEnv }) => OllamaChild;

export interface OllamaLifecycleDeps {
  /** Settings' Ollama host, read on every call. */
  host: () => string;
  /** GET /api/version; rejects when nothing answers. */
  version: (signal: AbortSignal) => Promise<string>;
  spawn: SpawnOllama;
  platform: string;
  env: NodeJS.ProcessEnv;
  homedir: () => string;
  /** Is there a program at this path we may run? */
  isExecutable: (file: string) => Promise<boolean>;
  exists: (file: string) => Promise<boolean>;
  logger: Logger;
  startTimeoutMs?: number;
  pollIntervalMs?: number;
}

/** What `startAtLaunch` did: started it, had no reason to, or tried and failed (the message says why). */
export type LaunchStart =
  | { outcome: 'started'; status: OllamaLifecycleStatus }
  | { outcome: 'skipped'; reason: 'not-local' | 'running' | 'not-installed' }
  | { outcome: 'failed'; error: string };

/** Where the official installers put the program: ollama.com/download and its install.sh. */
export function defaultInstallPaths(platform: string, env: NodeJS.ProcessEnv, home: string): string[] {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA ?? path.win32.join(home, 'AppData', 'Local');
    return [path.win32.join(local, 'Programs', 'Ollama', 'ollama.exe')];
  }
  if (platform === 'darwin') {
    return ['/usr/local/bin/ollama', '/opt/homebrew/bin/ollama', '/Applications/Ollama.app/Contents/Resources/ollama', path.posix.join(home, 'Applications/Ollama.app/Contents/Resources/ollama')];
  }
  return ['/usr/local/bin/ollama', '/usr/bin/ollama'];
}

/** PATH first (what `ollama` in a terminal runs), then the installers' default locations. */
export function candidatePaths(platform: string, env: NodeJS.ProcessEnv, home: string): string[] {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const exe = platform === 'win32' ? 'ollama.exe' : 'ollama';
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter((d) => d.trim() !== '');
  return [...new Set([...dirs.map((d) => p.join(d, exe)), ...defaultInstallPaths(platform, env, home)])];
}

/**
 * Is Ollama installed and running, and can we start it? Starts `ollama serve` as a child process
 * when it is installed here but not running, and stops it on quit only if we started it: an Ollama
 * the user runs (the menu-bar app, a systemd service) is never touched.
 */
export class OllamaLifecycle {
  private child: OllamaChild | null = null;
  private starting: Promise<OllamaLifecycleStatus> | null = null;
  /** Why the last start at this host failed, so `status` can say it (a launch start has no one to throw to). */
  private lastStartError: { host: string; message: string } | null = null;
  /** Set by dispose: a start still in flight must not leave an `ollama serve` behind after quit. */
  private closed = false;

  constructor(private readonly deps: OllamaLifecycleDeps) {}

  async findBinary(): Promise<string | null> {
    for (const file of candidatePaths(this.deps.platform, this.deps.env, this.deps.homedir())) {
      if (await this.deps.isExecutable(file)) return file;
    }
    return null;
  }

  /** This machine's Ollama: a loopback host, or `0.0.0.0` (a listen address; connecting to it reaches this machine). */
  isLocalHost(host = this.deps.host()): boolean {
    if (!URL.canParse(host)) return false;
    const { hostname } = new URL(host);
    return hostname === '0.0.0.0' || isLoopbackHost(hostname);
  }

  async status(): Promise<OllamaLifecycleStatus> {
    const host = this.deps.host();
    const [binaryPath, probe] = await Promise.all([this.findBinary(), this.probe()]);
    let guidance: OllamaLifecycleStatus['guidance'] = null;
    if (!binaryPath && !probe.version) {
      const dataDir = (this.deps.platform === 'win32' ? path.win32 : path.posix).join(this.deps.homedir(), '.ollama');
      guidance = installGuidance(this.deps.platform, (await this.deps.exists(dataDir)) ? dataDir : null);
    }
    return {
      host,
      local: this.isLocalHost(host),
      installed: binaryPath !== null,
      binaryPath,
      running: probe.version !== null,
      version: probe.version,
      startedByUs: this.child !== null && this.child.exitCode === null,
      guidance,
      error: probe.version ? null : this.lastStartError?.host === host ? this.lastStartError.message : probe.error,
    };
  }

  /** Starts `ollama serve` and resolves once it answers; concurrent calls share one start. */
  start(): Promise<OllamaLifecycleStatus> {
    const host = this.deps.host();
    this.starting ??= this.doStart()
      .then(
        (status) => {
          this.lastStartError = null;
          return status;
        },
        (error: unknown) => {
          this.lastStartError = { host, message: (error as Error).message };
          throw error;
        },
      )
      .finally(() => (this.starting = null));
    return this.starting;
  }

  /**
   * Settings' `ollamaAutoStart`, at launch: starts `ollama serve` only when the host is this machine,
   * Ollama is installed and nothing answers yet. Never throws: the outcome is logged and returned,
   * and a failure stays visible in `status().error`.
   */
  async startAtLaunch(): Promise<LaunchStart> {
    const log = this.deps.logger;
    try {
      const host = this.deps.host();
      if (!this.isLocalHost(host)) return skipped('not-local', host);
      const [binary, probe] = await Promise.all([this.findBinary(), this.probe()]);
      if (probe.version) return skipped('running', host);
      if (!binary) return skipped('not-installed', host);
      const status = await this.start();
      // Someone (the wizard's button, the user in a terminal) may have started it in the meantime.
      if (!status.startedByUs) return skipped('running', host);
      log.info('started ollama serve at launch', { host, version: status.version });
      return { outcome: 'started', status };
    } catch (error) {
      if (isAbortError(error)) log.info('quit before ollama serve had started', { error });
      else log.warn('could not start ollama serve at launch; the Start Ollama button can try again', { error });
      return { outcome: 'failed', error: (error as Error).message };
    }

    function skipped(reason: 'not-local' | 'running' | 'not-installed', host: string): LaunchStart {
      log.info('not starting ollama serve at launch', { host, reason });
      return { outcome: 'skipped', reason };
    }
  }

  /** Stops the `ollama serve` we started (SIGTERM, then SIGKILL after 5 s); nothing otherwise. */
  async stop(): Promise<boolean> {
    const child = this.child;
    if (!child || child.exitCode !== null) return false;
    this.child = null;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    this.deps.logger.info('stopped the ollama serve we started', { pid: child.pid });
    return true;
  }

  dispose(): Promise<boolean> {
    this.closed = true;
    return this.stop();
  }

  private async probe(): Promise<{ version: string | null; error: string | null }> {
    try {
      return { version: await this.deps.version(AbortSignal.timeout(2_000)), error: null };
    } catch (error) {
      return { version: null, error: (error as Error).message };
    }
  }

  private async doStart(): Promise<OllamaLifecycleStatus> {
    const host = this.deps.host();
    if ((await this.probe()).version) return this.status();
    if (!this.isLocalHost(host)) {
      throw new SwitchboardError('unavailable', `Ollama at ${host} is on another machine, so Switchboard cannot start it. Start it there (ollama serve), or set a local host in Settings.`);
    }
    const binary = await this.findBinary();
    if (!binary) {
      const g = installGuidance(this.deps.platform);
      throw new SwitchboardError('not_found', `Ollama is not installed on this computer. ${g.summary} ${g.url}`, { details: { url: g.url } });
    }
    if (this.closed) throw quitting();
    const url = new URL(host);
    const listen = `${url.hostname === 'localhost' ? '127.0.0.1' : url.hostname}:${url.port || '11434'}`;
    this.deps.logger.info('starting ollama serve', { binary, listen });
    const child = this.deps.spawn(binary, ['serve'], { env: { ...this.deps.env, OLLAMA_HOST: listen } });
    this.child = child;
    const ended: { exit: { code: number | null; signal: string | null } | null } = { exit: null };
    child.once('exit', (code, signal) => {
      ended.exit = { code, signal };
      if (this.child === child) this.child = null;
    });
    const deadline = Date.now() + (this.deps.startTimeoutMs ?? 20_000);
    while (Date.now() < deadline) {
      // dispose() has stopped the child already; say so rather than "stopped at once".
      if (this.closed) throw quitting();
      if (ended.exit) {
        const { code, signal } = ended.exit;
        const tail = child.stderrTail().trim().split('\n').slice(-2).join(' ').trim();
        throw new SwitchboardError('unavailable', `ollama serve stopped at once (${signal ?? `exit code ${code}`})${tail ? `: ${tail}` : ''}. Try running it in a terminal to see why.`);
      }
      if ((await this.probe()).version) return this.status();
      await new Promise((r) => setTimeout(r, this.deps.pollIntervalMs ?? 250));
    }
    await this.stop();
    throw new SwitchboardError('timeout', `ollama serve did not answer at ${host} within ${Math.round((this.deps.startTimeoutMs ?? 20_000) / 1000)} s. Try running it in a terminal to see why.`);
  }
}

function quitting(): SwitchboardError {
  return new SwitchboardError('cancelled', 'Switchboard is quitting, so it did not start ollama serve (or stopped the one it was starting).');
}

/** The real child process: `ollama serve` without a shell, its stderr kept to the last 4 KB. */
export const nodeSpawnOllama: SpawnOllama = (command, args, options) => {
  const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4096);
  });
  // A failure to start (EACCES) arrives as 'error' and then 'exit'; without a listener it would throw.
  child.on('error', (error) => {
    tail += `\n${error.message}`;
  });
  return {
    get pid() {
      return child.pid;
    },
    get exitCode() {
      return child.exitCode ?? (child.signalCode ? -1 : null);
    },
    kill: (signal) => child.kill(signal),
    once: (event, listener) => child.once(event, listener),
    stderrTail: () => tail,
  };
};

export function nodeLifecycleDeps(): Pick<OllamaLifecycleDeps, 'spawn' | 'platform' | 'homedir' | 'isExecutable' | 'exists'> {
  return {
    spawn: nodeSpawnOllama,
    platform: process.platform,
    homedir: () => os.homedir(),
    isExecutable: async (file) => {
      try {
        await access(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    exists: async (file) => {
      try {
        await access(file, constants.F_OK);
        return true;
      } catch {
        return false;
      }
    },
  };
}
