import { silentLogger } from '../logger';
import { probeAmdLinux } from './amd';
import { probeAppleSilicon } from './apple-silicon';
import { errorText, type HardwareDeps, type ProbeResult } from './deps';
import { probeDisk } from './disk';
import { probeNvidia } from './nvidia-smi';
import { HardwareReport, type GpuInfo, type GpuVendor } from './schema';
import { probeSiGraphics } from './si-graphics';

async function probeCpu(deps: HardwareDeps): Promise<{ cpu: HardwareReport['cpu']; notes: string[] }> {
  const list = deps.cpus();
  const threads = list.length;
  const model = list[0]?.model?.trim() || 'unknown CPU';
  try {
    const si = deps.systeminformation.cpu ? await deps.systeminformation.cpu() : {};
    const cores = si.physicalCores && si.physicalCores > 0 ? si.physicalCores : threads;
    return { cpu: { model, cores, threads }, notes: [] };
  } catch (error) {
    return {
      cpu: { model, cores: threads, threads },
      notes: [`CPU: physical core count unknown, because systeminformation failed (${errorText(error)}); showing threads.`],
    };
  }
}

/** Linux: vendor tools first (they know free VRAM), then systeminformation for Intel and the rest. */
async function probeLinuxGpus(deps: HardwareDeps): Promise<ProbeResult> {
  const [nvidia, amd] = await Promise.all([probeNvidia(deps), probeAmdLinux(deps)]);
  // Never take AMD or NVIDIA figures from systeminformation on Linux: its AMD VRAM is the PCI BAR size.
  const others = await probeSiGraphics(deps, new Set<GpuVendor>(['nvidia', 'amd']));
  return merge(nvidia, amd, { gpus: others.gpus, notes: [] });
}

/** Windows and Intel Macs: nvidia-smi ships with the Windows driver; everything else from systeminformation. */
async function probeGenericGpus(deps: HardwareDeps): Promise<ProbeResult> {
  const nvidia = await probeNvidia(deps);
  const skip = new Set<GpuVendor>(nvidia.gpus.length > 0 ? ['nvidia'] : []);
  const rest = await probeSiGraphics(deps, skip);
  return merge(nvidia, rest);
}

function merge(...results: ProbeResult[]): ProbeResult {
  const gpus: GpuInfo[] = [];
  const notes: string[] = [];
  for (const r of results) {
    for (const gpu of r.gpus) gpus.push({ ...gpu, index: gpus.length });
    notes.push(...r.notes);
  }
  return { gpus, notes };
}

/**
 * Finds the GPUs, memory, CPU and free disk of this machine. Never throws: whatever a probe cannot
 * find out becomes a line in `notes` and the report says CPU-only rather than guessing.
 */
export async function detectHardware(deps: HardwareDeps): Promise<HardwareReport> {
  const logger = deps.logger ?? silentLogger;
  const notes: string[] = [];
  let gpuResult: ProbeResult = { gpus: [], notes: [] };
  let ramBytes = deps.totalmem();
  let unifiedMemory = false;
  let gpuWorkingSetBytes: number | undefined;

  try {
    if (deps.platform === 'darwin' && deps.arch === 'arm64') {
      const apple = await probeAppleSilicon(deps);
      gpuResult = apple;
      unifiedMemory = true;
      if (apple.ramBytes !== null) ramBytes = apple.ramBytes;
      if (apple.workingSetBytes !== null) gpuWorkingSetBytes = apple.workingSetBytes;
    } else if (deps.platform === 'linux') {
      gpuResult = await probeLinuxGpus(deps);
    } else {
      gpuResult = await probeGenericGpus(deps);
      if (deps.platform === 'darwin') {
        notes.push('GPU: Intel Macs run Ollama on the CPU only; any GPU listed is not used for models.');
      }
    }
  } catch (error) {
    // Probes catch their own failures; this is the last line of defence against a bug in one.
    logger.warn('hardware probe failed', { error });
    notes.push(`GPU: unknown, because the GPU probe failed unexpectedly (${errorText(error)}). Treating this machine as CPU-only.`);
  }
  notes.push(...gpuResult.notes);
  if (gpuResult.gpus.every((g) => g.integrated === true)) {
    notes.push('GPU: none usable for model offload; models will run on the CPU.');
  }

  const [cpu, disk] = await Promise.all([probeCpu(deps), probeDisk(deps)]);
  notes.push(...cpu.notes, ...disk.notes);

  const report: HardwareReport = {
    gpus: gpuResult.gpus,
    ramBytes,
    freeRamBytes: Math.min(deps.freemem(), ramBytes),
    unifiedMemory,
    cpu: cpu.cpu,
    platform: deps.platform,
    arch: deps.arch,
    disk: disk.disk,
    notes,
    detectedAt: (deps.now?.() ?? new Date()).toISOString(),
  };
  if (gpuWorkingSetBytes !== undefined) report.gpuWorkingSetBytes = gpuWorkingSetBytes;
  logger.info('hardware detected', { gpus: report.gpus.length, ramBytes, notes: notes.length });
  return HardwareReport.parse(report);
}

/** GPUs Ollama can offload to: discrete NVIDIA/AMD cards and Apple Silicon. */
export function offloadGpus(report: HardwareReport): GpuInfo[] {
  return report.gpus.filter((g) => g.integrated !== true && (g.vendor === 'nvidia' || g.vendor === 'amd' || g.vendor === 'apple'));
}
