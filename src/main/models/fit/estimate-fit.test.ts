import { describe, expect, it } from 'vitest';
import { MEASURED_VECTORS, relativeError } from '../../../../test/fixtures/hardware/measured-vectors';
import { SwitchboardError } from '../../../shared/errors';
import { CUDA_MINIMUM_BYTES, estimateFit } from './estimate-fit';
import { KV_BYTES_PER_ELEMENT, kvCacheBytes } from './graph-size';
import type { FitInput, ModelArch } from './types';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

const QWEN25_32B: ModelArch = {
  family: 'qwen2',
  layers: 64,
  embeddingLength: 5120,
  headCount: 40,
  headCountKv: 8,
  headDim: 128,
  vocabSize: 152064,
  contextLength: 32768,
  parameterCount: 32.76e9,
};
const coder32b = (over: Partial<FitInput> = {}): FitInput => ({
  arch: QWEN25_32B,
  fileSizeBytes: 19_851_336_256,
  contextLength: 8192,
  gpus: [{ vramBytes: 24564 * MIB, freeVramBytes: 23871 * MIB }],
  ...over,
});

describe('estimateFit against published measurements', () => {
  it.each(MEASURED_VECTORS.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const fit = estimateFit(vector.input);
    expect(fit.verdict).toBe('full-gpu');
    expect(Math.abs(relativeError(vector, fit))).toBeLessThanOrEqual(vector.tolerance);
  });
});

describe('estimateFit', () => {
  it('sizes the KV cache as 2 × layers × ctx × KV heads × head dim × bytes per element', () => {
    const f16 = estimateFit(coder32b({ kvCacheType: 'f16' }));
    expect(f16.kvCacheBytes).toBe(2 * 64 * 8192 * 8 * 128 * 2);
    const q8 = estimateFit(coder32b({ kvCacheType: 'q8_0' }));
    const q4 = estimateFit(coder32b({ kvCacheType: 'q4_0' }));
    expect(q8.kvCacheBytes / f16.kvCacheBytes).toBeCloseTo(KV_BYTES_PER_ELEMENT.q8_0 / 2, 6);
    expect(q4.kvCacheBytes / f16.kvCacheBytes).toBeCloseTo(KV_BYTES_PER_ELEMENT.q4_0 / 2, 6);
  });

  it('fits qwen2.5-coder:32b in a 24 GB card at 8192 ctx with f16 and q8_0 KV', () => {
    for (const kvCacheType of ['f16', 'q8_0'] as const) {
      const fit = estimateFit(coder32b({ kvCacheType }));
      expect(fit.verdict).toBe('full-gpu');
      expect(fit.gpuLayers).toBe(65);
      expect(fit.vramBytes).toBeLessThan(22 * GIB);
    }
  });

  it('finds the largest full-GPU context by binary search, in steps of 256', () => {
    const fit = estimateFit(coder32b());
    expect(fit.maxFullGpuCtx % 256).toBe(0);
    expect(fit.maxFullGpuCtx).toBeGreaterThanOrEqual(8192);
    expect(fit.maxFullGpuCtx).toBeLessThan(32768);
    expect(estimateFit(coder32b({ contextLength: fit.maxFullGpuCtx })).verdict).toBe('full-gpu');
    expect(estimateFit(coder32b({ contextLength: fit.maxFullGpuCtx + 256 })).verdict).toBe('partial');
  });

  it('offloads part of the layers when VRAM is short, and puts the rest in RAM', () => {
    const fit = estimateFit(coder32b({ gpus: [{ vramBytes: 16 * GIB, freeVramBytes: 15 * GIB }], ramBytes: 32 * GIB }));
    expect(fit.verdict).toBe('partial');
    expect(fit.gpuLayers).toBeGreaterThan(30);
    expect(fit.gpuLayers).toBeLessThan(fit.totalLayers);
    expect(fit.vramBytes).toBeLessThanOrEqual(15 * GIB);
    expect(fit.cpuBytes).toBeGreaterThan(5 * GIB);
    expect(fit.maxFullGpuCtx).toBe(0);
  });

  it('splits a model over two GPUs', () => {
    const gpus = [
      { vramBytes: 24 * GIB, freeVramBytes: 23.5 * GIB },
      { vramBytes: 12 * GIB, freeVramBytes: 11.5 * GIB },
    ];
    const fit = estimateFit(coder32b({ gpus, contextLength: 32768 }));
    expect(fit.verdict).toBe('full-gpu');
    expect(fit.perGpuBytes.every((b) => b > 0)).toBe(true);
    expect(fit.overheadBytes).toBeGreaterThan(2 * CUDA_MINIMUM_BYTES);
  });

  it('runs on the CPU without a GPU, and will not fit when RAM is short too', () => {
    expect(estimateFit(coder32b({ gpus: [], ramBytes: 64 * GIB })).verdict).toBe('cpu-only');
    const tooSmall = estimateFit(coder32b({ gpus: [], ramBytes: 8 * GIB }));
    expect(tooSmall.verdict).toBe('wont-fit');
    expect(tooSmall.reasons.at(-1)).toMatch(/system RAM/);
    expect(estimateFit(coder32b({ gpus: [{ vramBytes: 1 * GIB }], ramBytes: 64 * GIB })).verdict).toBe('cpu-only');
  });

  it('treats Apple unified memory as one pool', () => {
    const mac = { gpus: [{ vramBytes: 21.3 * GIB, minimumBytes: 512 * MIB }], unifiedMemory: true };
    expect(estimateFit(coder32b({ ...mac, ramBytes: 24 * GIB })).verdict).toBe('partial');
    expect(estimateFit(coder32b({ ...mac, gpus: [{ vramBytes: 48 * GIB }], ramBytes: 20 * GIB })).verdict).toBe('wont-fit');
  });

  it('scales with the machine calibration', () => {
    const base = estimateFit(coder32b());
    const scaled = estimateFit(coder32b({ calibration: 1.1 }));
    expect(scaled.weightsBytes).toBe(Math.round(base.weightsBytes * 1.1));
    expect(scaled.maxFullGpuCtx).toBeLessThan(base.maxFullGpuCtx);
  });

  it('clamps the context to the trained length and says so', () => {
    const fit = estimateFit(coder32b({ contextLength: 65536 }));
    expect(fit.contextLength).toBe(32768);
    expect(fit.reasons[0]).toMatch(/exceeds the trained 32768/);
  });

  it('keeps only a window of positions on sliding-window layers (gemma3)', () => {
    const gemma: ModelArch = { family: 'gemma3', layers: 48, embeddingLength: 3840, headCount: 16, headCountKv: 8, headDim: 256, vocabSize: 262144, contextLength: 131072 };
    const full = kvCacheBytes(gemma, 32768, 'f16', 512, 1);
    const sliding = kvCacheBytes({ ...gemma, slidingWindow: 1024, slidingWindowPattern: 6 }, 32768, 'f16', 512, 1);
    // 8 global layers at 32768 positions, 40 local layers at 1024 + 512.
    expect(sliding).toBe((8 * 32768 + 40 * 1536) * 2 * 256 * 8 * 2);
    expect(sliding).toBeLessThan(full / 4);
  });

  it('rejects impossible input with a typed error', () => {
    expect(() => estimateFit(coder32b({ fileSizeBytes: 0 }))).toThrow(SwitchboardError);
    expect(() => estimateFit(coder32b({ calibration: -1 }))).toThrow(/calibration/);
  });
});

describe('OLLAMA_GPU_OVERHEAD', () => {
  it('is reserved on the GPU and can push a model off it', async () => {
    const { estimateFit: fit } = await import('./estimate-fit');
    const arch = { layers: 28, embeddingLength: 3584, headCount: 28, headCountKv: 4, headDim: 128, vocabSize: 152064, contextLength: 32768 };
    const base = { arch, fileSizeBytes: 4_683_087_332, contextLength: 8192, kvCacheType: 'f16' as const, gpus: [{ vramBytes: 8 * 1024 ** 3, freeVramBytes: 7 * 1024 ** 3 }] };
    const plain = fit(base);
    const reserved = fit({ ...base, gpuOverheadBytes: 2 * 1024 ** 3 });
    expect(plain.verdict).toBe('full-gpu');
    expect(reserved.overheadBytes).toBeGreaterThan(plain.overheadBytes);
    expect(reserved.verdict).not.toBe('full-gpu');
  });
});
