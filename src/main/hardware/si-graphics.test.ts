import { describe, expect, it } from 'vitest';
import { fixtureJson } from '../../../test/fixtures/hardware/fake-deps';
import type { SiGraphicsController } from './deps';
import { fromSiControllers, vendorOf } from './si-graphics';

const MIB = 1024 * 1024;
const windows = fixtureJson<{ controllers: SiGraphicsController[] }>('windows-si-graphics.json');

describe('fromSiControllers', () => {
  it('reads a Windows machine: discrete NVIDIA card plus Intel iGPU, basic display adapter dropped', () => {
    const { gpus, notes } = fromSiControllers(windows.controllers);
    expect(notes).toEqual([]);
    expect(gpus).toEqual([
      {
        index: 0,
        vendor: 'nvidia',
        name: 'NVIDIA GeForce RTX 4070',
        vramBytes: 12282 * MIB,
        freeVramBytes: 11140 * MIB,
        driver: '32.0.15.6094',
        source: 'systeminformation',
      },
      {
        index: 1,
        vendor: 'intel',
        name: 'Intel(R) UHD Graphics 770',
        vramBytes: 128 * MIB,
        freeVramBytes: null,
        driver: '31.0.101.4502',
        integrated: true,
        source: 'systeminformation',
      },
    ]);
  });

  it('skips vendors another probe already covered', () => {
    const { gpus } = fromSiControllers(windows.controllers, new Set(['nvidia']));
    expect(gpus.map((g) => g.vendor)).toEqual(['intel']);
  });

  it('recognises vendors by name or PCI id', () => {
    expect(vendorOf({ vendor: 'Advanced Micro Devices, Inc. [AMD/ATI]' })).toBe('amd');
    expect(vendorOf({ vendorId: '10de' })).toBe('nvidia');
    expect(vendorOf({ vendor: 'Matrox' })).toBe('other');
  });
});
