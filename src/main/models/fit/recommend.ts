import type {
  HardwareTier,
  Placement,
  Recommendation as ContractRecommendation,
  RoleRecommendation as ContractRoleRecommendation,
} from '../../../shared/contract/setup-types';
import { offloadGpus, type HardwareReport } from '../../hardware';
import { CUDA_MINIMUM_BYTES, METAL_MINIMUM_BYTES, estimateFit } from './estimate-fit';
import { archOf, modelsForRole, qualityFor, type LocalCatalog, type LocalModelEntry, type LocalRole } from './local-catalog';
import { GIB, type FitEstimate, type FitGpu, type KvCacheType } from './types';

export type { HardwareTier, Placement };

/** A role's pick as the recommender makes it; the models service adds `downloadBytes` from the catalog. */
export type RoleRecommendation = Omit<ContractRoleRecommendation, 'downloadBytes'>;

/** The recommender's answer; the models service adds the roles' download sizes and the calibration. */
export type Recommendation = Omit<ContractRecommendation, 'roles' | 'calibration'> & { roles: RoleRecommendation[] };

export interface RecommendInput {
  hardware: HardwareReport;
  catalog: LocalCatalog;
  calibration?: number;
  installed?: string[];
  /** OLLAMA_KV_CACHE_TYPE (server-wide; quantised types need flash attention). */
  kvCacheType?: KvCacheType;
  /** OLLAMA_GPU_OVERHEAD: bytes Ollama reserves on every GPU. */
  gpuOverheadBytes?: number;
  preferResident?: boolean;
}

export const TARGET_CONTEXT: Record<LocalRole, number> = { router: 4096, coder: 8192, validator: 4096, chat: 8192, embeddings: 2048 };
/** Below these the role is not worth running; validator and chat may shrink to them to fit. */
const MIN_CONTEXT: Record<LocalRole, number> = { router: 4096, coder: 8192, validator: 2048, chat: 4096, embeddings: 512 };
const ROLE_ORDER: LocalRole[] = ['router', 'coder', 'validator', 'chat', 'embeddings'];
/** Seed appendix: "16GB VRAM OR 32GB RAM" runs 7B–14B coders, "24GB+ VRAM OR 64GB RAM" the 32B. */
const CPU_CODER_MIN_RAM = 30 * GIB;
const CPU_LARGE_CODER_MIN_RAM = 60 * GIB;
const CPU_MID_CODER_MAX_PARAMS = 15e9;

interface Ctx {
  input: RecommendInput;
  gpus: FitGpu[];
  unified: boolean;
  ramBudget: number;
  installed: Set<string>;
}

function gib(bytes: number): string {
  return `${(bytes / GIB).toFixed(1)} GiB`;
}

/**
 * Tiers by total GPU memory, as the seed states them: 24 GB cards (23.99 GiB) are large, 16 GB cards
 * mid, 12 GB cards still mid (a 14B coder fits at 8192 ctx). Apple Silicon counts its working set.
 */
export function tierOf(gpuTotalBytes: number): HardwareTier {
  if (gpuTotalBytes <= 0) return 'cpu-only';
  if (gpuTotalBytes < 11 * GIB) return 'small-gpu';
  if (gpuTotalBytes < 22 * GIB) return 'mid-gpu';
  return 'large-gpu';
}

/** The GPUs the estimator may place layers on (Apple Silicon: its working set, Metal's minimum). */
export function fitGpus(hardware: HardwareReport): FitGpu[] {
  return offloadGpus(hardware).map((g) =>
    g.vendor === 'apple'
      ? { vramBytes: hardware.gpuWorkingSetBytes ?? g.vramBytes, freeVramBytes: null, minimumBytes: METAL_MINIMUM_BYTES }
      : { vramBytes: g.vramBytes, freeVramBytes: g.freeVramBytes, minimumBytes: CUDA_MINIMUM_BYTES },
  );
}

/**
 * Best first: quality, one point for a tag already pulled (a download of gigabytes outweighs one step
 * of quality), two off for a trained context below the role's target; ties go to the installed tag,
 * then to the smaller download.
 */
function ranked(c: Ctx, role: LocalRole): LocalModelEntry[] {
  const target = TARGET_CONTEXT[role];
  const has = (m: LocalModelEntry): number => (c.installed.has(m.tag) ? 1 : 0);
  const score = (m: LocalModelEntry): number => qualityFor(m, role) + has(m) - (m.arch.contextLength < target ? 2 : 0);
  return modelsForRole(c.input.catalog, role).sort((a, b) => score(b) - score(a) || has(b) - has(a) || a.sizeBytes - b.sizeBytes);
}

function fit(c: Ctx, m: LocalModelEntry, ctx: number, gpus: FitGpu[]): FitEstimate {
  return estimateFit({
    arch: archOf(m),
    fileSizeBytes: m.sizeBytes,
    contextLength: ctx,
    kvCacheType: c.input.kvCacheType ?? 'f16',
    gpus,
    unifiedMemory: c.unified,
    ramBytes: c.ramBudget,
    calibration: c.input.calibration,
    gpuOverheadBytes: c.input.gpuOverheadBytes,
  });
}

function subtract(gpus: FitGpu[], f: FitEstimate): FitGpu[] {
  return gpus.map((g, i) => ({ ...g, freeVramBytes: Math.max(0, (g.freeVramBytes ?? g.vramBytes) - (f.perGpuBytes[i] ?? 0)) }));
}

interface PickOptions {
  filter?: (m: LocalModelEntry) => boolean;
  /** Also try the role's minimum context before moving to a lower-quality tag. */
  shrink?: boolean;
}

function pick(
  c: Ctx,
  role: LocalRole,
  gpus: FitGpu[],
  accept: (f: FitEstimate) => boolean,
  options: PickOptions = {},
): { model: LocalModelEntry; fit: FitEstimate } | null {
  const contexts = options.shrink ? new Set([TARGET_CONTEXT[role], MIN_CONTEXT[role]]) : [TARGET_CONTEXT[role]];
  for (const m of ranked(c, role).filter(options.filter ?? (() => true))) {
    for (const ctx of contexts) {
      const f = fit(c, m, ctx, gpus);
      if (accept(f)) return { model: m, fit: f };
    }
  }
  return null;
}

function rec(c: Ctx, role: LocalRole, chosen: { model: LocalModelEntry; fit: FitEstimate } | null, placement: Placement, reason: string): RoleRecommendation {
  if (!chosen) return { role, model: null, contextLength: TARGET_CONTEXT[role], fit: null, placement: null, installed: false, reason };
  const { model, fit: f } = chosen;
  const installed = c.installed.has(model.tag);
  const where = placement === 'gpu' ? 'in VRAM' : placement === 'swap' ? 'in VRAM, swapping with the coder' : 'on the CPU';
  const size = placement === 'cpu' ? f.cpuBytes : f.vramBytes;
  return {
    role,
    model: model.tag,
    contextLength: f.contextLength,
    fit: f,
    placement,
    installed,
    reason: `${reason} ${model.tag} (quality ${qualityFor(model, role)}/10) runs ${where}: about ${gib(size)} at ${f.contextLength} ctx${installed ? ', already installed' : ''}.`,
  };
}

const fullGpu = (f: FitEstimate): boolean => f.verdict === 'full-gpu';
const runsOnCpu = (f: FitEstimate): boolean => f.verdict === 'cpu-only';

function recommendGpu(c: Ctx): { roles: RoleRecommendation[]; resident: boolean; swapNote?: string } {
  const all = c.gpus;
  const reserve = c.input.preferResident ? reserveFor(c, all) : all;
  const coder =
    pick(c, 'coder', reserve, fullGpu) ??
    pick(c, 'coder', all, (f) => f.verdict === 'partial' && f.gpuLayers * 2 >= f.totalLayers);
  const coderRec = coder
    ? rec(c, 'coder', coder, 'gpu', coder.fit.verdict !== 'full-gpu' ? 'No coder fits the GPU entirely; partial offload, slower.' : c.input.preferResident ? 'Best coder that leaves room for a router and embeddings.' : 'Best coder that fits the GPU.')
    : rec(c, 'coder', null, 'gpu', 'No coder fits this GPU at 8192 ctx, even half offloaded; use a cloud model for code.');
  let left = coder ? subtract(all, coder.fit) : all;

  const sidecar = (role: LocalRole): RoleRecommendation => {
    const onGpu = pick(c, role, left, fullGpu);
    if (onGpu) {
      left = subtract(left, onGpu.fit);
      return rec(c, role, onGpu, 'gpu', coder ? 'Fits beside the coder.' : 'Fits the GPU.');
    }
    const onCpu = pick(c, role, [], runsOnCpu, { shrink: true });
    return rec(c, role, onCpu, 'cpu', onCpu ? 'No room beside the coder in VRAM; pin it to the CPU (num_gpu 0) so the coder stays loaded.' : 'Does not fit in VRAM beside the coder nor in RAM.');
  };
  const router = sidecar('router');
  const embeddings = sidecar('embeddings');

  // Quality first: the best tag that fits the GPU alone; it stays beside the others only if there is room.
  const swapper = (role: LocalRole): RoleRecommendation => {
    const alone = pick(c, role, all, fullGpu, { shrink: true });
    if (alone) {
      const beside = fit(c, alone.model, alone.fit.contextLength, left);
      if (fullGpu(beside)) {
        left = subtract(left, beside);
        return rec(c, role, { model: alone.model, fit: beside }, 'gpu', 'Fits beside the resident models.');
      }
      return rec(c, role, alone, 'swap', 'Loads when needed and unloads the coder.');
    }
    const onCpu = pick(c, role, [], runsOnCpu, { shrink: true });
    return rec(c, role, onCpu, 'cpu', onCpu ? 'Too large for this GPU.' : 'Nothing fits this machine for this role.');
  };
  const validator = swapper('validator');
  const chat = swapper('chat');

  const core = [router, coderRec, embeddings];
  const resident = core.every((r) => r.model === null || r.placement === 'gpu');
  const notes: string[] = [];
  for (const r of [...core, validator, chat]) {
    if (r.model && r.placement === 'cpu') notes.push(`${r.model} (${r.role}) runs on the CPU beside the GPU models`);
    if (r.model && r.placement === 'swap') notes.push(`${r.model} (${r.role}) swaps with the coder, reloading it afterwards`);
  }
  if (c.input.preferResident !== true && coder) {
    const residentCoder = pick(c, 'coder', reserveFor(c, all), fullGpu);
    if (!resident && residentCoder && residentCoder.model.tag !== coder.model.tag) {
      notes.push(`${residentCoder.model.tag} would keep router, coder and embeddings together in VRAM`);
    }
  }
  return { roles: [router, coderRec, validator, chat, embeddings], resident, swapNote: notes.length > 0 ? `${notes.join('; ')}.` : undefined };
}

/** What is left after the smallest router and embeddings: the room a resident coder may use. */
function reserveFor(c: Ctx, gpus: FitGpu[]): FitGpu[] {
  let out = gpus;
  for (const role of ['router', 'embeddings'] as const) {
    const m = [...modelsForRole(c.input.catalog, role)].sort((a, b) => a.sizeBytes - b.sizeBytes)[0];
    if (m) out = subtract(out, fit(c, m, TARGET_CONTEXT[role], out));
  }
  return out;
}

function recommendCpu(c: Ctx): { roles: RoleRecommendation[]; resident: boolean; swapNote?: string } {
  const ram = c.input.hardware.ramBytes;
  const cpu = (role: LocalRole, filter?: (m: LocalModelEntry) => boolean) => pick(c, role, [], runsOnCpu, { filter, shrink: true });
  // Generation roles follow the seed's RAM tiers; below them a CPU produces a few tokens per second.
  const generating = (role: LocalRole): RoleRecommendation => {
    if (ram < CPU_CODER_MIN_RAM) {
      return rec(c, role, null, 'cpu', `Only ${gib(ram)} of RAM and no GPU: a machine this size runs only the small router and validator models well; ${role === 'coder' ? 'code' : 'chat'} goes to cloud models.`);
    }
    const large = ram >= CPU_LARGE_CODER_MIN_RAM;
    const chosen = cpu(role, (m) => large || m.parameterCount <= CPU_MID_CODER_MAX_PARAMS);
    return rec(c, role, chosen, 'cpu', large ? '64 GB-class RAM runs the large models on the CPU (slowly, but fully).' : '32 GB-class RAM runs 7B–14B models on the CPU.');
  };
  const router = rec(c, 'router', cpu('router'), 'cpu', 'No GPU: runs on the CPU.');
  const coder = generating('coder');
  const validator = rec(c, 'validator', cpu('validator'), 'cpu', 'No GPU: validation runs on the CPU.');
  const chat = generating('chat');
  const embeddings = rec(c, 'embeddings', cpu('embeddings'), 'cpu', 'No GPU: runs on the CPU.');
  const core = [router, coder, embeddings];
  const resident = core.reduce((sum, r) => sum + (r.fit?.cpuBytes ?? 0), 0) <= c.ramBudget;
  const onDemand = [validator, chat].filter((r) => r.model !== null).map((r) => r.model);
  const swapNote = resident
    ? onDemand.length > 0
      ? `${onDemand.join(' and ')} load on demand and may unload the others while RAM is short.`
      : undefined
    : 'Router, coder and embeddings do not fit in RAM together; Ollama will unload one to load another.';
  return { roles: [router, coder, validator, chat, embeddings], resident, swapNote };
}

/** RAM left for models once the OS, the app and Ollama have theirs: RAM − max(2 GiB, 25 %). */
export function ramBudgetOf(hardware: HardwareReport): number {
  return Math.max(0, hardware.ramBytes - Math.max(2 * GIB, hardware.ramBytes * 0.25));
}

/**
 * Which local model to use for each role on this machine.
 *
 * The coder is chosen first, as the best-quality coder that fits the whole GPU budget at ≥ 8192
 * context: the seed defines its hardware tiers by coder size (16 GB VRAM → 7B–14B, 24 GB → 32B).
 * Router and embeddings then take the best tags that fit in what the coder leaves, so all three stay
 * resident; what does not fit runs on the CPU (pinned with num_gpu 0) instead of evicting the coder.
 * Validator and chat take the best tag that fits the GPU alone and swap with the coder.
 * With `preferResident`, the coder must leave room for the smallest router and embeddings.
 *
 * CPU-only machines follow the seed's RAM tiers for the generating roles (coder, chat): 8 GB → router
 * and validation only; ≥ 32 GB → 7B–14B; ≥ 64 GB → 32B. RAM budget = RAM − max(2 GiB, 25 %) for the
 * OS, the app and Ollama.
 */
export function recommendModels(input: RecommendInput): Recommendation {
  const { hardware } = input;
  const gpus = fitGpus(hardware);
  const gpuBudget = gpus.reduce((sum, g) => sum + (g.freeVramBytes ?? g.vramBytes), 0);
  const ramBudget = ramBudgetOf(hardware);
  const c: Ctx = { input, gpus, unified: hardware.unifiedMemory, ramBudget, installed: new Set(input.installed ?? []) };
  const tier = tierOf(gpus.reduce((sum, g) => sum + g.vramBytes, 0));
  const result = tier === 'cpu-only' ? recommendCpu(c) : recommendGpu(c);
  const roles = ROLE_ORDER.map((role) => result.roles.find((r) => r.role === role)).filter((r): r is RoleRecommendation => r !== undefined);
  const out: Recommendation = {
    tier,
    roles,
    residentTogether: result.resident,
    kvCacheType: input.kvCacheType ?? 'f16',
    gpuBudgetBytes: gpuBudget,
    ramBudgetBytes: ramBudget,
  };
  if (result.swapNote) out.swapNote = result.swapNote;
  return out;
}
