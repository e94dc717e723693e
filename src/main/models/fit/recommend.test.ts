import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GpuInfo, HardwareReport } from '../../hardware/schema';
import { readLocalCatalog, type LocalCatalog } from './local-catalog';
import { recommendModels, type Recommendation } from './recommend';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
let catalog: LocalCatalog;

beforeAll(async () => {
  catalog = await readLocalCatalog(fileURLToPath(new URL('../../../../resources/local-models.json', import.meta.url)));
});

function machine(gpus: GpuInfo[], ramBytes: number, extra: Partial<HardwareReport> = {}): HardwareReport {
  return {
    gpus,
    ramBytes,
    freeRamBytes: ramBytes / 2,
    unifiedMemory: false,
    cpu: { model: 'test CPU', cores: 8, threads: 16 },
    platform: 'linux',
    arch: 'x64',
    disk: { path: '/home/ada/.ollama/models', freeBytes: 500 * GIB },
    notes: [],
    detectedAt: '2026-01-02T03:04:05.000Z',
    ...extra,
  };
}

function nvidia(name: string, totalMib: number, freeMib: number): GpuInfo {
  return { index: 0, vendor: 'nvidia', name, vramBytes: totalMib * MIB, freeVramBytes: freeMib * MIB, source: 'nvidia-smi' };
}

function role(r: Recommendation, name: string) {
  const found = r.roles.find((x) => x.role === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
}

describe('recommendModels, the seed tiers', () => {
  it('8 GB RAM and no GPU: router and validator, no coder', () => {
    const r = recommendModels({ hardware: machine([], 8 * GIB), catalog });
    expect(r.tier).toBe('cpu-only');
    expect(role(r, 'router').model).not.toBeNull();
    expect(role(r, 'validator').model).toBe('deepseek-coder:6.7b');
    expect(role(r, 'coder').model).toBeNull();
    expect(role(r, 'coder').reason).toMatch(/only the small router and validator/);
    expect(r.roles.every((x) => x.model === null || x.fit?.verdict === 'cpu-only')).toBe(true);
  });

  it('16 GB VRAM: a 7B–14B coder, resident with router and embeddings', () => {
    const r = recommendModels({ hardware: machine([nvidia('NVIDIA GeForce RTX 4060 Ti', 16380, 15700)], 32 * GIB), catalog });
    expect(r.tier).toBe('mid-gpu');
    expect(['qwen2.5-coder:7b', 'qwen2.5-coder:14b']).toContain(role(r, 'coder').model);
    expect(role(r, 'coder').fit?.verdict).toBe('full-gpu');
    expect(role(r, 'coder').contextLength).toBeGreaterThanOrEqual(8192);
    expect(r.residentTogether).toBe(true);
  });

  it('24 GB VRAM: the 32B coder at 8192 ctx; router moves to the CPU, and the note says so', () => {
    const r = recommendModels({ hardware: machine([nvidia('NVIDIA GeForce RTX 4090', 24564, 23871)], 64 * GIB), catalog });
    expect(r.tier).toBe('large-gpu');
    const coder = role(r, 'coder');
    expect(coder.model).toBe('qwen2.5-coder:32b');
    expect(coder.fit?.verdict).toBe('full-gpu');
    expect(coder.fit?.vramBytes).toBeLessThan(22 * GIB);
    expect(r.residentTogether).toBe(false);
    expect(role(r, 'router').placement).toBe('cpu');
    expect(r.swapNote).toMatch(/router\) runs on the CPU/);
    expect(r.swapNote).toMatch(/qwen2.5-coder:14b would keep router, coder and embeddings together/);
  });

  it('24 GB VRAM with q8_0 KV still picks the 32B, with less VRAM', () => {
    const hardware = machine([nvidia('NVIDIA GeForce RTX 4090', 24564, 23871)], 64 * GIB);
    const f16 = role(recommendModels({ hardware, catalog }), 'coder');
    const q8 = role(recommendModels({ hardware, catalog, kvCacheType: 'q8_0' }), 'coder');
    expect(q8.model).toBe('qwen2.5-coder:32b');
    expect(q8.fit?.vramBytes ?? 0).toBeLessThan((f16.fit?.vramBytes ?? 0) - 900 * MIB);
  });

  it('preferResident trades the coder size for router, coder and embeddings in VRAM together', () => {
    const hardware = machine([nvidia('NVIDIA GeForce RTX 4090', 24564, 23871)], 64 * GIB);
    const r = recommendModels({ hardware, catalog, preferResident: true });
    expect(role(r, 'coder').model).toBe('qwen2.5-coder:14b');
    expect(r.residentTogether).toBe(true);
  });
});

describe('recommendModels', () => {
  it('gives a 32 GB Apple Silicon Mac its working set, not all of RAM', () => {
    const workingSet = (32 * GIB * 2) / 3;
    const apple: GpuInfo = { index: 0, vendor: 'apple', name: 'Apple M2 Pro', vramBytes: workingSet, freeVramBytes: null, source: 'sysctl' };
    const r = recommendModels({ hardware: machine([apple], 32 * GIB, { unifiedMemory: true, gpuWorkingSetBytes: workingSet }), catalog });
    expect(r.tier).toBe('mid-gpu');
    expect(role(r, 'coder').model).toBe('qwen2.5-coder:14b');
  });

  it('ignores integrated GPUs', () => {
    const igpu: GpuInfo = { index: 0, vendor: 'intel', name: 'Intel UHD 770', vramBytes: 128 * MIB, freeVramBytes: null, integrated: true, source: 'systeminformation' };
    expect(recommendModels({ hardware: machine([igpu], 16 * GIB), catalog }).tier).toBe('cpu-only');
  });

  it('prefers an installed tag within one quality point', () => {
    const hardware = machine([], 8 * GIB);
    const fresh = role(recommendModels({ hardware, catalog }), 'router');
    expect(fresh.model).toBe('phi4-mini');
    const withInstalled = role(recommendModels({ hardware, catalog, installed: ['qwen2.5:3b'] }), 'router');
    expect(withInstalled.model).toBe('qwen2.5:3b');
    expect(withInstalled.installed).toBe(true);
  });

  it('lists every role once, in a fixed order', () => {
    const r = recommendModels({ hardware: machine([], 64 * GIB), catalog });
    expect(r.roles.map((x) => x.role)).toEqual(['router', 'coder', 'validator', 'chat', 'embeddings']);
    expect(role(r, 'coder').model).toBe('qwen2.5-coder:32b');
  });
});
