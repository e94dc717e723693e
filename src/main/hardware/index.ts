export { HardwareReport, GpuInfo, GpuVendor } from './schema';
export type { HardwareDeps, CommandResult, ProbeResult, SystemInformationLike, SiGraphicsController } from './deps';
export { detectHardware, offloadGpus } from './detect-hardware';
export { nodeHardwareDeps, runCommand } from './node-deps';
export { parseNvidiaSmi, NVIDIA_SMI_ARGS } from './nvidia-smi';
export { parseRocmSmiJson, ROCM_SMI_ARGS } from './amd';
export { appleDefaultWorkingSet, parseSystemProfilerDisplays } from './apple-silicon';
export { fromSiControllers } from './si-graphics';
export { ollamaModelsDir } from './disk';
