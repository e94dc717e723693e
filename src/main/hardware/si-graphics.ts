import { GIB, MIB, errorText, type HardwareDeps, type ProbeResult, type SiGraphicsController } from './deps';
import type { GpuInfo, GpuVendor } from './schema';

/**
 * Windows, Intel Macs and Intel/other GPUs on Linux: `systeminformation.graphics()` (vram in MB).
 * On Windows it reads the driver's 64-bit `HardwareInformation.qwMemorySize`, so cards above 4 GB
 * are right. On Linux it reads the PCI BAR size from lspci, which is 256 MB on most AMD cards:
 * AMD on Linux goes through rocm-smi / sysfs instead (amd.ts), never through here.
 */
export function vendorOf(controller: SiGraphicsController): GpuVendor {
  const text = `${controller.vendor ?? ''} ${controller.vendorId ?? ''} ${controller.model ?? ''}`.toLowerCase();
  if (/nvidia|10de/.test(text)) return 'nvidia';
  if (/advanced micro|\bamd\b|\bati\b|radeon|1002/.test(text)) return 'amd';
  if (/apple/.test(text)) return 'apple';
  if (/intel|8086/.test(text)) return 'intel';
  return 'other';
}

// Microsoft Basic Display Adapter and remote/virtual adapters are not GPUs anyone can offload to.
const NOT_A_GPU = /basic display|basic render|remote display|virtual|parsec|spacedesk|citrix|vmware svga|hyper-v/i;

export function fromSiControllers(controllers: SiGraphicsController[], skip: ReadonlySet<GpuVendor> = new Set()): ProbeResult {
  const gpus: GpuInfo[] = [];
  const notes: string[] = [];
  for (const c of controllers) {
    const name = c.model || c.name || 'GPU';
    if (NOT_A_GPU.test(name)) continue;
    const vendor = vendorOf(c);
    if (skip.has(vendor)) continue;
    const vramMb = typeof c.vram === 'number' && c.vram > 0 ? c.vram : typeof c.memoryTotal === 'number' ? c.memoryTotal : null;
    if (vramMb === null) {
      notes.push(`GPU "${name}": unknown VRAM, because the operating system did not report it.`);
      continue;
    }
    const vramBytes = Math.round(vramMb * MIB);
    const gpu: GpuInfo = {
      index: gpus.length,
      vendor,
      name,
      vramBytes,
      freeVramBytes: typeof c.memoryFree === 'number' ? Math.round(c.memoryFree * MIB) : null,
      source: 'systeminformation',
    };
    if (c.driverVersion) gpu.driver = c.driverVersion;
    // Intel iGPUs and "dynamic" VRAM borrow system RAM; Ollama's GPU runners do not use them.
    if (c.vramDynamic === true || (vendor === 'intel' && vramBytes < 4 * GIB) || vramBytes < 1 * GIB) gpu.integrated = true;
    gpus.push(gpu);
  }
  return { gpus, notes };
}

export async function probeSiGraphics(deps: HardwareDeps, skip: ReadonlySet<GpuVendor> = new Set()): Promise<ProbeResult> {
  try {
    const data = await deps.systeminformation.graphics();
    return fromSiControllers(data.controllers ?? [], skip);
  } catch (error) {
    return { gpus: [], notes: [`GPU: unknown, because systeminformation could not list graphics controllers (${errorText(error)}).`] };
  }
}
