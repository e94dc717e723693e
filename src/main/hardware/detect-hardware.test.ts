import { describe, expect, it } from 'vitest';
import { fakeDeps, fixture, fixtureJson, ok } from '../../../test/fixtures/hardware/fake-deps';
import { ROCM_SMI_ARGS } from './amd';
import type { SiGraphicsController } from './deps';
import { detectHardware, offloadGpus } from './detect-hardware';
import { NVIDIA_SMI_ARGS } from './nvidia-smi';
import { HardwareReport } from './schema';

const GIB = 1024 ** 3;
const NVIDIA = ['nvidia-smi', ...NVIDIA_SMI_ARGS].join(' ');
const ROCM = ['rocm-smi', ...ROCM_SMI_ARGS].join(' ');
const disk = { '/home/ada/.ollama/models': { bavail: 1000, bsize: 4096 } };

describe('detectHardware', () => {
  it('reports a Linux NVIDIA machine', async () => {
    const deps = fakeDeps({ commands: { [NVIDIA]: ok(fixture('nvidia-smi-two-gpus.csv')) }, statfs: disk });
    const report = await detectHardware(deps);
    expect(HardwareReport.safeParse(report).success).toBe(true);
    expect(report.gpus.map((g) => g.name)).toEqual(['NVIDIA GeForce RTX 3090', 'NVIDIA GeForce RTX 3060']);
    expect(report).toMatchObject({
      unifiedMemory: false,
      ramBytes: 32 * GIB,
      cpu: { model: 'AMD Ryzen 7 7800X3D 8-Core Processor', cores: 8, threads: 16 },
      disk: { path: '/home/ada/.ollama/models', freeBytes: 4096000 },
      detectedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(report.notes).toEqual([]);
  });

  it('reports a Linux AMD machine from rocm-smi and never from systeminformation', async () => {
    const controllers: SiGraphicsController[] = [{ vendor: 'Advanced Micro Devices, Inc. [AMD/ATI]', model: 'Navi 31', vram: 256 }];
    const deps = fakeDeps({ commands: { [ROCM]: ok(fixture('rocm-smi-meminfo.txt')) }, controllers, statfs: disk });
    const report = await detectHardware(deps);
    expect(report.gpus.map((g) => [g.source, g.vramBytes])).toEqual([
      ['rocm-smi', 25753026560],
      ['rocm-smi', 67108864],
    ]);
    expect(offloadGpus(report).map((g) => g.vendor)).toEqual(['amd']);
  });

  it('reports an Apple Silicon Mac as unified memory with its working set', async () => {
    const sysctl = fixtureJson<Record<string, string>>('macos-sysctl.json');
    const commands = Object.fromEntries(Object.entries(sysctl).map(([k, v]) => [`sysctl -n ${k}`, ok(v)]));
    const deps = fakeDeps({ platform: 'darwin', arch: 'arm64', commands, statfs: disk });
    const report = await detectHardware(deps);
    expect(report.unifiedMemory).toBe(true);
    expect(report.ramBytes).toBe(32 * GIB);
    expect(report.gpuWorkingSetBytes).toBeCloseTo((32 * GIB * 2) / 3, -1);
    expect(report.gpus[0]?.vendor).toBe('apple');
    expect(deps.calls.some((c) => c.startsWith('nvidia-smi'))).toBe(false);
  });

  it('reports a Windows machine through nvidia-smi first, other GPUs from systeminformation', async () => {
    const windows = fixtureJson<{ controllers: SiGraphicsController[] }>('windows-si-graphics.json');
    const deps = fakeDeps({
      platform: 'win32',
      commands: { [NVIDIA]: ok('0, NVIDIA GeForce RTX 4070, 12282, 11140, 566.36\n') },
      controllers: windows.controllers,
      env: { OLLAMA_MODELS: 'D:\\ollama' },
      statfs: { 'D:\\ollama': { bavail: 10, bsize: 4096 } },
    });
    const report = await detectHardware(deps);
    expect(report.gpus.map((g) => [g.vendor, g.source])).toEqual([
      ['nvidia', 'nvidia-smi'],
      ['intel', 'systeminformation'],
    ]);
    expect(report.disk).toEqual({ path: 'D:\\ollama', freeBytes: 40960 });
  });

  it('reports CPU-only with a note when nothing is found, and falls back to the home folder for disk', async () => {
    const deps = fakeDeps({ statfs: { '/home/ada': { bavail: 5, bsize: 1024 } } });
    const report = await detectHardware(deps);
    expect(report.gpus).toEqual([]);
    expect(report.disk).toEqual({ path: '/home/ada', freeBytes: 5120 });
    expect(report.notes.join('\n')).toMatch(/none usable/);
  });

  it('survives every probe failing', async () => {
    const deps = fakeDeps({ commands: { [NVIDIA]: ok(fixture('nvidia-smi-driver-error.txt'), 9) } });
    deps.systeminformation = {
      graphics: () => Promise.reject(new Error('wmic missing')),
      cpu: () => Promise.reject(new Error('wmic missing')),
    };
    const report = await detectHardware(deps);
    expect(report.gpus).toEqual([]);
    expect(report.disk.freeBytes).toBeNull();
    expect(report.cpu.cores).toBe(16);
    expect(report.notes.some((n) => n.includes('driver'))).toBe(true);
    expect(report.notes.some((n) => n.startsWith('Disk: free space unknown'))).toBe(true);
  });
});
