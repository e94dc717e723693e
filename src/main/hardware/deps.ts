import type { Logger } from '../logger';
import type { GpuInfo } from './schema';

/** What one probe found: GPUs, and a note for everything it could not find out. */
export interface ProbeResult {
  gpus: GpuInfo[];
  notes: string[];
}

/** What one external command returned. `code` is null when the process was killed (timeout). */
export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** The slice of `systeminformation.graphics()` a probe reads (vram in MB). */
export interface SiGraphicsController {
  vendor?: string;
  vendorId?: string;
  model?: string;
  name?: string;
  vram?: number | null;
  vramDynamic?: boolean;
  memoryTotal?: number;
  memoryFree?: number;
  driverVersion?: string;
  bus?: string;
}

export interface SiCpu {
  manufacturer?: string;
  brand?: string;
  physicalCores?: number;
  cores?: number;
}

export interface SystemInformationLike {
  graphics(): Promise<{ controllers: SiGraphicsController[] }>;
  cpu?(): Promise<SiCpu>;
}

/**
 * Everything the detector touches in the outside world. Tests feed fixture outputs through it;
 * `nodeHardwareDeps()` builds the real one.
 */
export interface HardwareDeps {
  /** Runs a command without a shell. Rejects only when it cannot be started (ENOENT and friends). */
  run(cmd: string, args: readonly string[], options: { timeoutMs: number }): Promise<CommandResult>;
  readFile(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
  /** Free space of the file system holding `path` (Node's fs.statfs fields). */
  statfs(path: string): Promise<{ bavail: number; bsize: number }>;
  platform: string;
  arch: string;
  totalmem(): number;
  freemem(): number;
  cpus(): Array<{ model: string }>;
  homedir(): string;
  env: Readonly<Record<string, string | undefined>>;
  systeminformation: SystemInformationLike;
  now?(): Date;
  logger?: Logger;
}

/** Per-probe timeouts: the tools answer in well under a second on a healthy machine. */
export const PROBE_TIMEOUT_MS = 5_000;
/** system_profiler walks every display and is slow on first run. */
export const SLOW_PROBE_TIMEOUT_MS = 15_000;

export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;

export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

export function isNotInstalled(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT';
}
