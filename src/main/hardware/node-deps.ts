import { execFile } from 'node:child_process';
import { readFile, readdir, statfs } from 'node:fs/promises';
import os from 'node:os';
import { silentLogger, type Logger } from '../logger';
import type { CommandResult, HardwareDeps, SystemInformationLike } from './deps';

/** Enough for `system_profiler -json` on a machine with several displays. */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/**
 * execFile without a shell, with a timeout. A non-zero exit still resolves (nvidia-smi prints its
 * driver error on stdout and exits 9); only a failure to start (ENOENT) rejects.
 */
export function runCommand(cmd: string, args: readonly string[], options: { timeoutMs: number }): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      [...args],
      { timeout: options.timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && typeof (error as NodeJS.ErrnoException).code === 'string') {
          reject(error);
          return;
        }
        const killed = error !== null && (error as { killed?: boolean }).killed === true;
        const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ stdout, stderr, code: killed ? null : exitCode });
      },
    );
  });
}

/**
 * systeminformation is loaded on first use: it is a large CommonJS module and most launches only
 * need it on Windows or when no vendor tool answers.
 */
function lazySystemInformation(): SystemInformationLike {
  type SiModule = SystemInformationLike & { default?: SystemInformationLike };
  let loaded: Promise<SystemInformationLike> | undefined;
  const load = (): Promise<SystemInformationLike> => {
    loaded ??= import('systeminformation').then((mod: unknown) => {
      const m = mod as SiModule;
      return m.default ?? m;
    });
    return loaded;
  };
  return {
    graphics: async () => (await load()).graphics(),
    cpu: async () => {
      const si = await load();
      return si.cpu ? si.cpu() : {};
    },
  };
}

export function nodeHardwareDeps(logger: Logger = silentLogger): HardwareDeps {
  return {
    run: runCommand,
    readFile: (path) => readFile(path, 'utf8'),
    readdir: (path) => readdir(path),
    statfs: async (path) => {
      const stats = await statfs(path);
      return { bavail: Number(stats.bavail), bsize: Number(stats.bsize) };
    },
    platform: process.platform,
    arch: process.arch,
    totalmem: () => os.totalmem(),
    freemem: () => os.freemem(),
    cpus: () => os.cpus(),
    homedir: () => os.homedir(),
    env: process.env,
    systeminformation: lazySystemInformation(),
    now: () => new Date(),
    logger,
  };
}
