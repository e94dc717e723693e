import { formatGiB } from '../../shared/format';
import type { Command } from '../command';
import { writeJson } from '../command';

/** `hardware [--json]`: what Switchboard sees of this machine (the HardwareReport). */
export const hardwareCommand: Command = {
  name: 'hardware',
  usage: 'hardware [--json]',
  summary: 'Show the GPUs, VRAM, RAM, CPU and free disk Switchboard sizes local models for.',
  options: { json: { type: 'boolean' } },
  async run({ values }, ctx) {
    const report = await ctx.app().call('hardware.detect', {});
    if (values.json) {
      writeJson(ctx.io, report);
      return 0;
    }
    const out = (label: string, text: string) => ctx.io.stdout.write(`${label.padEnd(9)}${text}\n`);
    if (report.gpus.length === 0) out('GPU', 'none found: local models run on the CPU');
    for (const gpu of report.gpus) {
      const free = gpu.freeVramBytes !== null ? `, ${formatGiB(gpu.freeVramBytes)} free` : '';
      const kind = gpu.integrated ? ' (integrated, not used for models)' : '';
      out(`GPU ${gpu.index}`, `${gpu.name}: ${formatGiB(gpu.vramBytes)} ${report.unifiedMemory ? 'GPU working set' : 'VRAM'}${free}${kind} [${gpu.source}]`);
    }
    out('RAM', `${formatGiB(report.ramBytes)} (${formatGiB(report.freeRamBytes)} free)${report.unifiedMemory ? ', unified with the GPU' : ''}`);
    out('CPU', `${report.cpu.model} (${report.cpu.cores} cores, ${report.cpu.threads} threads)`);
    out('Disk', report.disk.freeBytes !== null ? `${formatGiB(report.disk.freeBytes)} free at ${report.disk.path}` : `free space unknown at ${report.disk.path}`);
    out('System', `${report.platform} ${report.arch}`);
    for (const note of report.notes) ctx.io.stdout.write(`note: ${note}\n`);
    return 0;
  },
};
