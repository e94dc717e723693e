import { SwitchboardError } from '../../../shared/errors';
import { graphSize, headDimOf, kvCacheBytes } from './graph-size';
import { GIB, MIB, type FitEstimate, type FitInput, type FitVerdict, type KvCacheType } from './types';

/**
 * Will this model load, and where? A port of Ollama's scheduler estimate,
 * `EstimateGPULayers` in ollama/ollama llm/memory.go (v0.5–v0.11), with the KV/graph sizes of
 * `GGML.GraphSize` (fs/ggml/ggml.go; see graph-size.ts).
 *
 *   layer   = (file − CPU-only token_embd) / (layers + 1)      one share for the output layer, as the
 *             brief asks; Ollama reads blk.0's real tensor sizes, which we do not have without the GGUF
 *           + KV / layers                                      (Ollama: `layerSize += kv / BlockCount`)
 *   per GPU = minimum + one layer as safety buffer + graph    minimum: `cudaMinimumMemory` and
 *             + OLLAMA_GPU_OVERHEAD                            `rocmMinimumMemory` = 457 MiB (discover/gpu.go),
 *                                                             `metalMinimumMemory` = 512 MiB (gpu_darwin.go)
 *   a GPU takes layers while free > used + max(partial, full graph) + layer, round-robin over GPUs;
 *   the output layer goes last. All layers + output on GPU → "full-gpu" with the full graph,
 *   otherwise the partial graph (Metal: no partial graph; several GPUs: always partial).
 *
 * Untied models keep `token_embd` in system RAM (llama.cpp: "CPU model buffer size = 281.81 MiB" for
 * Llama-3.1-8B Q4_K_M, beside "CUDA0 model buffer size = 4403.49 MiB"); we size it as
 * vocab × embedding × (file bytes per parameter). `vramBytes` is what a loaded model holds on the GPU
 * (nvidia-smi), i.e. without the one-layer buffer, which only exists in the scheduler's arithmetic.
 * Checked against published measurements in test/fixtures/hardware/measured-vectors.ts.
 */
export const CUDA_MINIMUM_BYTES = 457 * MIB;
export const METAL_MINIMUM_BYTES = 512 * MIB;
export const DEFAULT_CONTEXT = 4096;
export const DEFAULT_BATCH = 512;
const CTX_STEP = 256;
/** Q4-class weights, when parameterCount is unknown: 4.5 bits per parameter. */
const DEFAULT_BYTES_PER_PARAM = 0.5625;

interface Plan {
  ctx: number;
  kv: number;
  graph: number;
  graphFormula: string;
  weights: number;
  overhead: number;
  vram: number;
  cpu: number;
  gpuLayers: number;
  totalLayers: number;
  verdict: FitVerdict;
  placements: string[];
  perGpu: number[];
}

function gib(bytes: number): string {
  return `${(bytes / GIB).toFixed(2)} GiB`;
}

function validate(input: FitInput): void {
  const bad = (what: string): never => {
    throw new SwitchboardError('invalid_input', `Cannot estimate memory: ${what}.`);
  };
  if (!(input.fileSizeBytes > 0)) bad('the model file size must be a positive number of bytes');
  if (input.contextLength !== undefined && !(input.contextLength > 0)) bad('the context length must be positive');
  if (input.calibration !== undefined && !(input.calibration > 0)) bad('the calibration factor must be positive');
  if (input.parallel !== undefined && !(input.parallel >= 1)) bad('parallel must be at least 1');
}

function cpuOnlyWeightBytes(input: FitInput): number {
  const { arch } = input;
  if (arch.tiedEmbeddings || arch.vocabSize === undefined) return 0;
  const perParam = arch.parameterCount ? input.fileSizeBytes / arch.parameterCount : DEFAULT_BYTES_PER_PARAM;
  return Math.min(input.fileSizeBytes / 2, arch.vocabSize * arch.embeddingLength * perParam);
}

function plan(input: FitInput, ctx: number): Plan {
  const { arch } = input;
  const cal = input.calibration ?? 1;
  const parallel = input.parallel ?? 1;
  const batch = Math.min(ctx, input.batchSize ?? DEFAULT_BATCH);
  const type: KvCacheType = input.kvCacheType ?? 'f16';
  const positions = ctx * parallel;
  const L = arch.layers;

  const kv = kvCacheBytes(arch, positions, type, batch, parallel) * cal;
  const g = graphSize(arch, positions, batch, kv / cal);
  let partial = g.partial * cal;
  let full = g.full * cal;
  if (input.unifiedMemory) partial = full;
  else if (input.gpus.length > 1) full = partial;
  const maxGraph = Math.max(partial, full);

  const weights = input.fileSizeBytes * cal;
  const cpuOnly = cpuOnlyWeightBytes(input) * cal;
  const layerWeights = (weights - cpuOnly) / (L + 1);
  const layer = layerWeights + kv / L;
  const output = layerWeights;
  const extra = input.gpuOverheadBytes ?? 0;

  const gpus = input.gpus.map((gpu, i) => ({
    i,
    free: gpu.freeVramBytes ?? gpu.vramBytes,
    min: gpu.minimumBytes ?? CUDA_MINIMUM_BYTES,
    alloc: 0,
    layers: 0,
  }));
  let withSpace = gpus.filter((g) => g.free >= extra + maxGraph + g.min + 2 * layer);
  for (const g of withSpace) g.alloc = g.min + layer;

  let count = 0;
  for (let i = 0; i < L; i++) {
    for (let j = withSpace.length; j > 0; j--) {
      const g = withSpace[i % j];
      if (!g) break;
      if (g.free > extra + g.alloc + maxGraph + layer) {
        g.alloc += layer;
        g.layers++;
        count++;
        break;
      }
      withSpace = withSpace.filter((x) => x !== g);
    }
  }
  for (let j = withSpace.length; j > 0 && count === L; j--) {
    const g = withSpace[count % j];
    if (g && g.free > extra + g.alloc + maxGraph + output) {
      g.alloc += output;
      g.layers++;
      count++;
    }
  }
  const fully = count === L + 1;
  const graphEach = fully ? full : partial;
  const used = gpus.filter((g) => g.layers > 0);
  for (const g of used) g.alloc += graphEach + extra;

  const onGpuRepeating = Math.min(count, L);
  const overflowLayers = L - onGpuRepeating;
  const overflow = overflowLayers * layer + (fully ? 0 : output);
  const overhead = used.reduce((sum, g) => sum + g.min + layer + extra, 0);
  // Neither the safety layer nor OLLAMA_GPU_OVERHEAD is memory the runner actually touches.
  const vram = used.reduce((sum, g) => sum + g.alloc - layer - extra, 0);
  // Nothing on GPU: the CPU runner still needs the graph as its compute buffer.
  const cpu = cpuOnly + overflow + (used.length === 0 ? partial : 0);
  const graph = used.length === 0 ? partial : graphEach * used.length;

  const ram = input.ramBytes;
  const ramNeeded = input.unifiedMemory ? vram + cpu : cpu;
  let verdict: FitVerdict;
  if (ram !== undefined && ramNeeded > ram) verdict = 'wont-fit';
  else if (used.length === 0) verdict = 'cpu-only';
  else verdict = fully ? 'full-gpu' : 'partial';

  const placements = used.map((g) => `GPU ${g.i}: ${g.layers} layers, ${gib(g.alloc - layer - extra)}`);
  return {
    perGpu: gpus.map((g) => (g.layers > 0 ? g.alloc : 0)),
    ctx,
    kv,
    graph,
    graphFormula: g.formula,
    weights,
    overhead,
    vram,
    cpu,
    gpuLayers: count,
    totalLayers: L + 1,
    verdict,
    placements,
  };
}

/** Largest multiple of 256 up to the trained context that still loads entirely on GPU (binary search). */
function maxFullGpuContext(input: FitInput): number {
  if (input.gpus.length === 0) return 0;
  let lo = 0;
  let hi = Math.floor(input.arch.contextLength / CTX_STEP);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (plan(input, mid * CTX_STEP).verdict === 'full-gpu') lo = mid;
    else hi = mid - 1;
  }
  return lo * CTX_STEP;
}

export function estimateFit(input: FitInput): FitEstimate {
  validate(input);
  const { arch } = input;
  const reasons: string[] = [];
  const requested = Math.floor(input.contextLength ?? DEFAULT_CONTEXT);
  const ctx = Math.min(requested, arch.contextLength);
  if (ctx < requested) reasons.push(`Context ${requested} exceeds the trained ${arch.contextLength}; estimated at ${ctx}.`);
  const type = input.kvCacheType ?? 'f16';
  const p = plan(input, ctx);

  reasons.push(
    `KV cache ${gib(p.kv)}: ${ctx} ctx × ${input.parallel ?? 1} parallel × ${arch.layers} layers × ${arch.headCountKv} KV heads × ${headDimOf(arch)} dims × 2 (K,V) in ${type}.`,
    `Compute graph ${gib(p.graph)} (Ollama's ${p.graphFormula} formula).`,
  );
  if (input.calibration !== undefined && input.calibration !== 1) reasons.push(`Scaled by this machine's calibration ×${input.calibration.toFixed(3)}.`);
  if (arch.expertCount) reasons.push(`Mixture of ${arch.expertCount} experts: every expert must be resident, so it is sized like a dense model of the same file size.`);
  if (p.placements.length > 0) reasons.push(...p.placements);

  switch (p.verdict) {
    case 'full-gpu':
      reasons.push(`All ${p.totalLayers} layers fit in VRAM.`);
      break;
    case 'partial':
      reasons.push(`Only ${p.gpuLayers} of ${p.totalLayers} layers fit in VRAM; the rest run on the CPU, several times slower.`);
      break;
    case 'cpu-only':
      reasons.push(input.gpus.length === 0 ? 'No GPU to offload to: runs on the CPU.' : 'Not even one layer fits in free VRAM: runs on the CPU.');
      break;
    case 'wont-fit':
      reasons.push(`Needs ${gib(input.unifiedMemory ? p.vram + p.cpu : p.cpu)} of system RAM but only ${gib(input.ramBytes ?? 0)} is available.`);
      break;
  }

  return {
    weightsBytes: Math.round(p.weights),
    kvCacheBytes: Math.round(p.kv),
    graphBytes: Math.round(p.graph),
    overheadBytes: Math.round(p.overhead),
    totalBytes: Math.round(p.weights + p.kv + p.graph + p.overhead),
    vramBytes: Math.round(p.vram),
    cpuBytes: Math.round(p.cpu),
    perGpuBytes: p.perGpu.map((b) => Math.round(b)),
    verdict: p.verdict,
    gpuLayers: p.gpuLayers,
    totalLayers: p.totalLayers,
    maxFullGpuCtx: maxFullGpuContext(input),
    contextLength: ctx,
    kvCacheType: type,
    reasons,
  };
}
