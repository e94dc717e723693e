import { MIB, PROBE_TIMEOUT_MS, errorText, isNotInstalled, type HardwareDeps, type ProbeResult } from './deps';
import type { GpuInfo } from './schema';

/** CSV without header or units: sizes come back in MiB. */
export const NVIDIA_SMI_ARGS = [
  '--query-gpu=index,name,memory.total,memory.free,driver_version',
  '--format=csv,noheader,nounits',
] as const;

// Lines nvidia-smi prints instead of a table when the driver is missing, mismatched or hung.
const DRIVER_ERROR = /(has failed|couldn't communicate|driver\/library version mismatch|no devices were found|unable to determine)/i;

function mib(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value.trim());
  return Number.isFinite(n) && n >= 0 ? Math.round(n * MIB) : null;
}

/** Parses `nvidia-smi --query-gpu=… --format=csv,noheader,nounits`. Rows it cannot read become notes. */
export function parseNvidiaSmi(stdout: string): ProbeResult {
  const gpus: GpuInfo[] = [];
  const notes: string[] = [];
  const lines = stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  for (const line of lines) {
    if (DRIVER_ERROR.test(line)) {
      notes.push(`NVIDIA GPU: unknown, because nvidia-smi reported a driver problem: "${line}". Reinstall or reload the NVIDIA driver, then detect again.`);
      return { gpus: [], notes };
    }
    const cells = line.split(',').map((c) => c.trim());
    const index = Number(cells[0]);
    const total = mib(cells[2]);
    if (cells.length < 5 || !Number.isInteger(index) || total === null) {
      // "[N/A]" memory appears on unified-memory boards (Jetson, GB10) and in MIG mode.
      notes.push(`NVIDIA GPU: unknown memory, because nvidia-smi printed a row we could not read: "${line}".`);
      continue;
    }
    gpus.push({
      index,
      vendor: 'nvidia',
      name: cells[1] ?? 'NVIDIA GPU',
      vramBytes: total,
      freeVramBytes: mib(cells[3]),
      driver: cells[4] || undefined,
      source: 'nvidia-smi',
    });
  }
  return { gpus, notes };
}

export async function probeNvidia(deps: HardwareDeps): Promise<ProbeResult> {
  let result;
  try {
    result = await deps.run('nvidia-smi', NVIDIA_SMI_ARGS, { timeoutMs: PROBE_TIMEOUT_MS });
  } catch (error) {
    // Not installed is the normal case on machines without an NVIDIA card: no note.
    if (isNotInstalled(error)) return { gpus: [], notes: [] };
    return { gpus: [], notes: [`NVIDIA GPU: unknown, because nvidia-smi could not be started (${errorText(error)}).`] };
  }
  if (result.code === null) {
    return { gpus: [], notes: [`NVIDIA GPU: unknown, because nvidia-smi did not answer within ${PROBE_TIMEOUT_MS / 1000} s.`] };
  }
  const parsed = parseNvidiaSmi(result.stdout);
  if (result.code !== 0 && parsed.gpus.length === 0 && parsed.notes.length === 0) {
    const message = (result.stderr || result.stdout).trim().split(/\r?\n/)[0] ?? '';
    parsed.notes.push(`NVIDIA GPU: unknown, because nvidia-smi exited with code ${result.code}: "${message}".`);
  }
  return parsed;
}
