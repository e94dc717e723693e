import { GIB, MIB, PROBE_TIMEOUT_MS, SLOW_PROBE_TIMEOUT_MS, errorText, type HardwareDeps, type ProbeResult } from './deps';

/**
 * Apple Silicon: CPU and GPU share one pool of RAM, but Metal only lets the GPU wire part of it
 * (`MTLDevice.recommendedMaxWorkingSetSize`). Ollama sizes its Metal "VRAM" from exactly that value
 * (ollama discover/gpu_darwin.go: `TotalMemory = C.getRecommendedMaxVRAM()`, minimum 512 MiB).
 * We cannot call Metal from Node, so we rebuild the value:
 *  - `sysctl iogpu.wired_limit_mb` when the user raised it (0 means "macOS default");
 *  - otherwise the default share: about 2/3 of RAM up to 36 GB, 3/4 above. Published readings:
 *    16 GB → 10922.67 MB (abetlen/llama-cpp-python#687), 32 GB → 21845.34 MB (ollama/ollama#434),
 *    both exactly 2/3; 64 GB machines start failing "around 47 GB" (ggml-org/llama.cpp#1870), ≈ 3/4.
 *    Newer macOS gives large machines more (128 GiB → 107.52 GiB, antirez/ds4#893), so 3/4 is
 *    conservative there. We found no primary source for the 36 GB cut-over itself.
 */
export const APPLE_UNIFIED_THRESHOLD_BYTES = 36 * GIB;

export function appleDefaultWorkingSet(ramBytes: number): number {
  return Math.floor(ramBytes > APPLE_UNIFIED_THRESHOLD_BYTES ? (ramBytes * 3) / 4 : (ramBytes * 2) / 3);
}

export interface AppleProbeResult extends ProbeResult {
  ramBytes: number | null;
  workingSetBytes: number | null;
}

async function sysctl(deps: HardwareDeps, key: string): Promise<string | null> {
  try {
    const result = await deps.run('sysctl', ['-n', key], { timeoutMs: PROBE_TIMEOUT_MS });
    const value = result.stdout.trim();
    return result.code === 0 && value !== '' ? value : null;
  } catch {
    // sysctl itself missing is reported once, by the caller, through the null memsize.
    return null;
  }
}

/** The chip name from `system_profiler SPDisplaysDataType -json` ("sppci_model": "Apple M2 Pro"). */
export function parseSystemProfilerDisplays(stdout: string): { name: string | null; gpuCores: number | null } {
  try {
    const data = JSON.parse(stdout) as { SPDisplaysDataType?: Array<Record<string, unknown>> };
    const first = data.SPDisplaysDataType?.find((d) => typeof d.sppci_model === 'string');
    if (!first) return { name: null, gpuCores: null };
    const cores = Number(first.sppci_cores);
    return { name: String(first.sppci_model), gpuCores: Number.isFinite(cores) ? cores : null };
  } catch {
    return { name: null, gpuCores: null };
  }
}

export async function probeAppleSilicon(deps: HardwareDeps): Promise<AppleProbeResult> {
  const notes: string[] = [];
  const memsize = Number(await sysctl(deps, 'hw.memsize'));
  const ramBytes = Number.isFinite(memsize) && memsize > 0 ? memsize : null;
  const total = ramBytes ?? deps.totalmem();
  if (ramBytes === null) notes.push('Apple GPU: RAM size from the OS instead of sysctl hw.memsize, because sysctl did not answer.');

  const wiredMb = Number(await sysctl(deps, 'iogpu.wired_limit_mb'));
  const raised = Number.isFinite(wiredMb) && wiredMb > 0;
  const workingSet = raised ? Math.min(total, wiredMb * MIB) : appleDefaultWorkingSet(total);
  if (raised) notes.push(`Apple GPU: working set ${wiredMb} MB from sysctl iogpu.wired_limit_mb (raised by the user).`);

  let name = await sysctl(deps, 'machdep.cpu.brand_string');
  let gpuCores: number | null = null;
  if (name === null || !/apple/i.test(name)) {
    try {
      const result = await deps.run('system_profiler', ['SPDisplaysDataType', '-json'], { timeoutMs: SLOW_PROBE_TIMEOUT_MS });
      const parsed = parseSystemProfilerDisplays(result.stdout);
      name = parsed.name ?? name;
      gpuCores = parsed.gpuCores;
    } catch (error) {
      notes.push(`Apple GPU: chip name unknown, because system_profiler failed (${errorText(error)}).`);
    }
  }
  const label = `${name ?? 'Apple Silicon'}${gpuCores ? ` (${gpuCores}-core GPU)` : ''}`;
  return {
    gpus: [
      {
        index: 0,
        vendor: 'apple',
        name: label,
        vramBytes: workingSet,
        // macOS "free" memory leaves out reclaimable file cache, so it says little about what Metal can wire.
        freeVramBytes: null,
        source: 'sysctl',
      },
    ],
    notes,
    ramBytes,
    workingSetBytes: workingSet,
  };
}
