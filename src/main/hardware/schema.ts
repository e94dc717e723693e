import { z } from 'zod';

/**
 * What the hardware probe found. Pure zod with no Node imports, so the shared contract can
 * reuse it as the wire shape of `hardware.detect` later.
 */
export const GpuVendor = z.enum(['nvidia', 'amd', 'apple', 'intel', 'other']);
export type GpuVendor = z.infer<typeof GpuVendor>;

export const GpuInfo = z.object({
  index: z.number().int().nonnegative(),
  vendor: GpuVendor,
  name: z.string(),
  /** Dedicated VRAM; for Apple Silicon the GPU working set macOS allows (not all of RAM). */
  vramBytes: z.number().nonnegative(),
  /** Null when the probe cannot say how much is free right now. */
  freeVramBytes: z.number().nonnegative().nullable(),
  driver: z.string().optional(),
  /** Integrated GPUs share system RAM and are not offload targets for Ollama's CUDA/ROCm/Metal runners. */
  integrated: z.boolean().optional(),
  /** Which probe produced this entry: `nvidia-smi`, `rocm-smi`, `sysfs`, `sysctl`, `systeminformation`. */
  source: z.string(),
});
export type GpuInfo = z.infer<typeof GpuInfo>;

export const HardwareReport = z.object({
  gpus: z.array(GpuInfo),
  ramBytes: z.number().nonnegative(),
  freeRamBytes: z.number().nonnegative(),
  unifiedMemory: z.boolean(),
  /** Apple Silicon only: bytes the GPU may wire (iogpu.wired_limit_mb, or macOS's default share of RAM). */
  gpuWorkingSetBytes: z.number().nonnegative().optional(),
  cpu: z.object({
    model: z.string(),
    cores: z.number().int().nonnegative(),
    threads: z.number().int().nonnegative(),
  }),
  platform: z.string(),
  arch: z.string(),
  disk: z.object({
    /** The Ollama models directory, or the folder we fell back to. */
    path: z.string(),
    freeBytes: z.number().nonnegative().nullable(),
  }),
  /** One line per thing we could not find out: "NVIDIA GPU: unknown, because …". */
  notes: z.array(z.string()),
  detectedAt: z.string(),
});
export type HardwareReport = z.infer<typeof HardwareReport>;
