import { describe, expect, it } from 'vitest';
import { fakeDeps, fixture, ok } from '../../../test/fixtures/hardware/fake-deps';
import { NVIDIA_SMI_ARGS, parseNvidiaSmi, probeNvidia } from './nvidia-smi';

const MIB = 1024 * 1024;
const CMD = ['nvidia-smi', ...NVIDIA_SMI_ARGS].join(' ');

describe('parseNvidiaSmi', () => {
  it('reads one GPU with sizes in MiB', () => {
    const { gpus, notes } = parseNvidiaSmi(fixture('nvidia-smi-one-gpu.csv'));
    expect(notes).toEqual([]);
    expect(gpus).toEqual([
      {
        index: 0,
        vendor: 'nvidia',
        name: 'NVIDIA GeForce RTX 4090',
        vramBytes: 24564 * MIB,
        freeVramBytes: 23871 * MIB,
        driver: '560.35.03',
        source: 'nvidia-smi',
      },
    ]);
  });

  it('reads every GPU of a multi-GPU machine in index order', () => {
    const { gpus } = parseNvidiaSmi(fixture('nvidia-smi-two-gpus.csv'));
    expect(gpus.map((g) => [g.index, g.name, g.vramBytes / MIB])).toEqual([
      [0, 'NVIDIA GeForce RTX 3090', 24576],
      [1, 'NVIDIA GeForce RTX 3060', 12288],
    ]);
  });

  it('turns the driver error into a note instead of a GPU', () => {
    const { gpus, notes } = parseNvidiaSmi(fixture('nvidia-smi-driver-error.txt'));
    expect(gpus).toEqual([]);
    expect(notes[0]).toMatch(/unknown, because nvidia-smi reported a driver problem/);
  });

  it('keeps readable rows and notes the [N/A] ones', () => {
    const { gpus, notes } = parseNvidiaSmi('0, NVIDIA GB10, [N/A], [N/A], 580.95.05\n1, NVIDIA RTX A4000, 16376, 16000, 580.95.05\n');
    expect(gpus.map((g) => g.name)).toEqual(['NVIDIA RTX A4000']);
    expect(notes).toHaveLength(1);
  });
});

describe('probeNvidia', () => {
  it('is silent when nvidia-smi is not installed', async () => {
    const result = await probeNvidia(fakeDeps());
    expect(result).toEqual({ gpus: [], notes: [] });
  });

  it('notes a driver failure reported with a non-zero exit code', async () => {
    const deps = fakeDeps({ commands: { [CMD]: ok(fixture('nvidia-smi-driver-error.txt'), 9) } });
    const result = await probeNvidia(deps);
    expect(result.gpus).toEqual([]);
    expect(result.notes.join()).toMatch(/driver/);
  });

  it('notes a timeout', async () => {
    const deps = fakeDeps({ commands: { [CMD]: { stdout: '', stderr: '', code: null } } });
    expect((await probeNvidia(deps)).notes[0]).toMatch(/did not answer/);
  });
});
