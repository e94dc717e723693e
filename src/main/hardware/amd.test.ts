import { describe, expect, it } from 'vitest';
import { fakeDeps, fixture, fixtureJson, ok } from '../../../test/fixtures/hardware/fake-deps';
import { ROCM_SMI_ARGS, parseRocmSmiJson, probeAmdLinux, probeAmdSysfs } from './amd';

const ROCM = ['rocm-smi', ...ROCM_SMI_ARGS].join(' ');
const sysfs = fixtureJson<Record<string, string | string[]>>('amd-sysfs.json');

describe('parseRocmSmiJson', () => {
  it('reads total and used VRAM in bytes and marks the APU as integrated', () => {
    const { gpus, notes } = parseRocmSmiJson(fixture('rocm-smi-meminfo.txt'));
    expect(notes).toEqual([]);
    expect(gpus[0]).toMatchObject({
      vendor: 'amd',
      name: 'Navi 31 [Radeon RX 7900 XT/7900 XTX/7900 GRE/7900M]',
      vramBytes: 25753026560,
      freeVramBytes: 25753026560 - 1190641664,
      source: 'rocm-smi',
    });
    expect(gpus[0]?.integrated).toBeUndefined();
    expect(gpus[1]).toMatchObject({ name: 'Raphael', vramBytes: 67108864, integrated: true });
  });

  it('accepts the pre-6.x "Card series" key casing', () => {
    const out = JSON.stringify({ card0: { 'VRAM Total Memory (B)': '17163091968', 'Card series': 'Navi 21' } });
    const { gpus } = parseRocmSmiJson(out);
    expect(gpus[0]).toMatchObject({ name: 'Navi 21', freeVramBytes: null });
  });

  it('notes output that is not JSON', () => {
    expect(parseRocmSmiJson('ERROR: GPU[0] : Unable to get VRAM info').notes[0]).toMatch(/no JSON/);
  });
});

describe('probeAmdSysfs', () => {
  it('reads the amdgpu counters of AMD cards only', async () => {
    const { gpus } = await probeAmdSysfs(fakeDeps({ files: sysfs }));
    expect(gpus).toEqual([
      {
        index: 0,
        vendor: 'amd',
        name: 'AMD GPU 0x73bf (card0)',
        vramBytes: 17163091968,
        freeVramBytes: 17163091968 - 692142080,
        source: 'sysfs',
      },
    ]);
  });
});

describe('probeAmdLinux', () => {
  it('prefers rocm-smi', async () => {
    const deps = fakeDeps({ commands: { [ROCM]: ok(fixture('rocm-smi-meminfo.txt')) }, files: sysfs });
    const { gpus } = await probeAmdLinux(deps);
    expect(gpus[0]?.source).toBe('rocm-smi');
  });

  it('falls back to sysfs when ROCm is not installed, without a note', async () => {
    const { gpus, notes } = await probeAmdLinux(fakeDeps({ files: sysfs }));
    expect(gpus.map((g) => g.source)).toEqual(['sysfs']);
    expect(notes).toEqual([]);
  });

  it('finds nothing and says nothing on a machine without AMD cards', async () => {
    const files = { '/sys/class/drm': ['card0'], '/sys/class/drm/card0/device/vendor': '0x10de\n' };
    expect(await probeAmdLinux(fakeDeps({ files }))).toEqual({ gpus: [], notes: [] });
  });
});
