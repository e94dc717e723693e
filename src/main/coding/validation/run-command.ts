import { spawn } from 'node:child_process';

/** A validation command's run: exit code, the output kept (bounded), and why it ended. */
export interface CommandRun {
  argv: string[];
  exitCode: number | null;
  /** stdout and stderr interleaved as they came, bounded by `maxOutputBytes`. */
  output: string;
  /** Bytes the command printed in all (more than `output` holds when it was truncated). */
  outputBytes: number;
  truncated: boolean;
  timedOut: boolean;
  cancelled: boolean;
  /** The program could not be started (not installed, not executable). */
  spawnError: string | null;
  durationMs: number;
}

export interface RunCommandOptions {
  cwd: string;
  timeoutMs: number;
  /** Output kept: the first quarter and the last three quarters of this many bytes (errors come last). */
  maxOutputBytes: number;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  now?: () => number;
}

/** Between SIGTERM and SIGKILL for a command that ran out of time. */
const KILL_GRACE_MS = 2_000;

/**
 * Output that keeps the head and the tail within a byte limit: a command that prints megabytes is
 * never held whole (the middle is dropped as it streams).
 */
class BoundedOutput {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  total = 0;
  constructor(private readonly headLimit: number, private readonly tailLimit: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.headBytes < this.headLimit) {
      const take = chunk.subarray(0, this.headLimit - this.headBytes);
      this.head.push(take);
      this.headBytes += take.length;
      chunk = chunk.subarray(take.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes - (this.tail[0]?.length ?? 0) >= this.tailLimit && this.tail.length > 1) {
      this.tailBytes -= this.tail.shift()?.length ?? 0;
    }
    if (this.tailBytes > this.tailLimit * 2) {
      const joined = Buffer.concat(this.tail).subarray(-this.tailLimit);
      this.tail = [joined];
      this.tailBytes = joined.length;
    }
  }

  text(): { text: string; truncated: boolean } {
    let tail = Buffer.concat(this.tail);
    if (tail.length > this.tailLimit) tail = tail.subarray(tail.length - this.tailLimit);
    const kept = this.headBytes + tail.length;
    const truncated = kept < this.total;
    const head = Buffer.concat(this.head).toString('utf8');
    const note = truncated ? `\n… [${this.total - kept} bytes of output left out] …\n` : '';
    return { text: head + note + tail.toString('utf8'), truncated };
  }
}

/**
 * Runs one command as an argv array (no shell: nothing in a path or a model's text can inject a
 * command), in its own process group so a timeout kills the command and everything it started.
 */
export function runCommand(argv: readonly string[], o: RunCommandOptions): Promise<CommandRun> {
  const now = o.now ?? Date.now;
  const started = now();
  const [program, ...args] = argv;
  if (!program) throw new Error('runCommand needs a program');
  const out = new BoundedOutput(Math.floor(o.maxOutputBytes / 4), o.maxOutputBytes - Math.floor(o.maxOutputBytes / 4));
  return new Promise<CommandRun>((resolve) => {
    let timedOut = false;
    let cancelled = false;
    let spawnError: string | null = null;
    let settled = false;
    const child = spawn(program, args, { cwd: o.cwd, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    let killTimer: NodeJS.Timeout | null = null;
    const stop = (): void => {
      killGroup('SIGTERM');
      killTimer ??= setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, o.timeoutMs);
    const onAbort = (): void => {
      cancelled = true;
      stop();
    };
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => out.push(c));
    const finish = (exitCode: number | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      // Children that outlived the command (a watcher it started) go with it.
      killGroup('SIGKILL');
      if (killTimer) clearTimeout(killTimer);
      const { text, truncated } = out.text();
      resolve({ argv: [...argv], exitCode, output: text, outputBytes: out.total, truncated, timedOut, cancelled, spawnError, durationMs: now() - started });
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error.code === 'ENOENT' ? `${program} is not installed (or not on PATH)` : error.message;
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}

/**
 * The environment validation commands run with. In offline mode every proxy variable points at a
 * closed loopback port and the package managers are told to stay offline: a best effort that covers
 * tools honouring these variables (npm, pip, go, cargo, curl, most HTTP clients). It is not network
 * isolation: a program that opens its own sockets is not stopped (see README, Troubleshooting).
 */
export function commandEnv(base: NodeJS.ProcessEnv, offline: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, CI: base.CI ?? 'true', FORCE_COLOR: '0', NO_COLOR: '1' };
  if (!offline) return env;
  const nowhere = 'http://127.0.0.1:9';
  for (const key of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy', 'npm_config_proxy', 'npm_config_https_proxy']) env[key] = nowhere;
  delete env.NO_PROXY;
  delete env.no_proxy;
  return { ...env, npm_config_offline: 'true', PIP_NO_INDEX: '1', GOPROXY: 'off', CARGO_NET_OFFLINE: 'true', UV_OFFLINE: '1' };
}
