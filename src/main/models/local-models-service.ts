import type { ModelResponse } from 'ollama';
import {
  KvCacheType,
  type CatalogModel,
  type HardwareReport,
  type InstalledModel,
  type LoadedModel,
  type ModelFit,
  type ModelsOverview,
  type Recommendation,
} from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { offloadGpus, type HardwareService } from '../hardware';
import type { Logger } from '../logger';
import { toOllamaError, type OllamaProvider } from '../providers/ollama';
import { archFromModelInfo } from './arch-from-show';
import { DEFAULT_CONTEXT, archOf, estimateFit, fitGpus, ramBudgetOf, recommendModels, type FitEstimate, type LocalCatalog, type ModelArch } from './fit';
import { readHfGgufHeader, parseHfName } from './hf-gguf';
import { modelKey, ollamaTag } from './model-name';

export interface LocalModelsDeps {
  ollama: OllamaProvider;
  hardware: HardwareService;
  catalog: () => Promise<LocalCatalog>;
  /** Median measured/estimated ratio of this machine; null before the first calibration sample. */
  calibration: () => number | null;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** The guarded fetch for Hugging Face (GGUF headers of `hf.co/…` names before a pull); absent: fit after pull only. */
  huggingFace?: { fetch: typeof globalThis.fetch; baseUrl?: string };
  /** Offline mode: Hugging Face is not asked (a loopback base URL would pass the network guard). */
  isOffline?: () => boolean;
}

export interface ResolvedModel {
  tag: string;
  arch: ModelArch;
  fileSizeBytes: number;
  /** The Hugging Face file read (source `gguf`). */
  file?: string;
  /** `gguf`: read from the Hugging Face file's GGUF header before a pull. */
  source: 'installed' | 'catalog' | 'gguf';
}

interface EstimateOptions {
  contextLength?: number;
  kvCacheType?: KvCacheType;
  calibration?: number | null;
  /** As if no other model held VRAM: calibration compares a load against the whole card. */
  emptyGpus?: boolean;
}

const OLLAMA_TIMEOUT_MS = 5_000;

/**
 * Which local models fit this machine: estimates for installed models (architecture from Ollama's
 * /api/show) and catalog models (architecture from resources/local-models.json), recommendations,
 * and the Models page's overview. All estimates carry this machine's calibration factor.
 */
export class LocalModelsService {
  /** /api/show answers per digest never change; a Models page refresh should not ask again. */
  private readonly archByDigest = new Map<string, ModelArch>();
  /** /api/show `capabilities` ("completion", "embedding", "tools" …) by digest, read with the architecture. */
  private readonly capabilitiesByDigest = new Map<string, string[]>();

  /** GGUF headers read from Hugging Face, by tag: a file under a tag does not change while the app runs. */
  private readonly ggufByTag = new Map<string, ResolvedModel>();

  constructor(private readonly deps: LocalModelsDeps) {}

  /** Ollama's server-wide OLLAMA_KV_CACHE_TYPE, when this process shares its environment; else f16. */
  defaultKvCacheType(): KvCacheType {
    const parsed = KvCacheType.safeParse(this.deps.env.OLLAMA_KV_CACHE_TYPE?.trim().toLowerCase());
    return parsed.success ? parsed.data : 'f16';
  }

  /** Ollama's OLLAMA_GPU_OVERHEAD (bytes reserved on every GPU), when this process shares its environment. */
  gpuOverheadBytes(): number {
    const n = Number(this.deps.env.OLLAMA_GPU_OVERHEAD);
    return Number.isFinite(n) && n > 0 ? n : 0;
  }

  async installed(): Promise<ModelResponse[]> {
    try {
      const { models } = await this.deps.ollama.client(AbortSignal.timeout(OLLAMA_TIMEOUT_MS)).list();
      return models;
    } catch (error) {
      throw toOllamaError(error, this.deps.ollama.host);
    }
  }

  async loaded(): Promise<LoadedModel[]> {
    let models: ModelResponse[];
    try {
      ({ models } = await this.deps.ollama.client(AbortSignal.timeout(OLLAMA_TIMEOUT_MS)).ps());
    } catch (error) {
      throw toOllamaError(error, this.deps.ollama.host);
    }
    return models.map((m) => {
      const ctx = (m as { context_length?: unknown }).context_length;
      const vram = Math.min(m.size_vram ?? 0, m.size);
      return {
        name: m.name,
        sizeBytes: m.size,
        vramBytes: vram,
        gpuPercent: m.size > 0 ? Math.round((vram / m.size) * 100) : 0,
        contextLength: typeof ctx === 'number' && ctx > 0 ? ctx : null,
        expiresAt: m.expires_at ? new Date(m.expires_at).toISOString() : null,
      };
    });
  }

  /** Installed models by their metadata, else the catalog; `installed` avoids asking Ollama again. */
  async resolve(model: string, installed?: ModelResponse[] | null): Promise<ResolvedModel> {
    const tag = ollamaTag(model);
    const catalog = await this.deps.catalog();
    const entry = catalog.models.find((m) => modelKey(m.tag) === modelKey(tag));
    let list = installed ?? null;
    let listError: SwitchboardError | null = null;
    if (list === null) {
      try {
        list = await this.installed();
      } catch (error) {
        listError = error instanceof SwitchboardError ? error : toOllamaError(error, this.deps.ollama.host);
      }
    }
    const local = list?.find((m) => modelKey(m.name) === modelKey(tag));
    if (local) {
      return { tag: local.name, arch: await this.archOf(local, entry ? archOf(entry) : undefined), fileSizeBytes: local.size, source: 'installed' };
    }
    if (entry) return { tag: entry.tag, arch: archOf(entry), fileSizeBytes: entry.sizeBytes, source: 'catalog' };
    const why = listError ? `Ollama could not be asked (${listError.message})` : `it is not installed in Ollama at ${this.deps.ollama.host}`;
    throw new SwitchboardError('model_not_found', `Switchboard knows nothing about "${tag}": ${why}, and it is not in the local model catalog. Pull it first (ollama pull ${tag}), or pick a catalog model (see the Models page or \`recommend\`).`, {
      details: { model: tag },
    });
  }

  async estimate(resolved: ResolvedModel, options: EstimateOptions = {}, hardware?: HardwareReport): Promise<FitEstimate> {
    const hw = hardware ?? (await this.deps.hardware.detect());
    const calibration = options.calibration === undefined ? this.deps.calibration() : options.calibration;
    const gpus = fitGpus(hw).map((g) => (options.emptyGpus ? { ...g, freeVramBytes: g.vramBytes } : g));
    return estimateFit({
      arch: resolved.arch,
      fileSizeBytes: resolved.fileSizeBytes,
      contextLength: options.contextLength ?? DEFAULT_CONTEXT,
      kvCacheType: options.kvCacheType ?? this.defaultKvCacheType(),
      gpus,
      unifiedMemory: hw.unifiedMemory,
      ramBytes: ramBudgetOf(hw),
      gpuOverheadBytes: this.gpuOverheadBytes(),
      ...(calibration !== null ? { calibration } : {}),
    });
  }

  async fit(input: { model: string; contextLength?: number; kvCacheType?: KvCacheType }): Promise<ModelFit> {
    let resolved: ResolvedModel;
    try {
      resolved = await this.resolve(input.model);
    } catch (error) {
      // Only an explicit fit asks Hugging Face (never routing, which resolves on every request).
      const tag = ollamaTag(input.model);
      if (!(error instanceof SwitchboardError && error.code === 'model_not_found' && parseHfName(tag))) throw error;
      resolved = await this.fromHuggingFace(tag);
    }
    const fit = await this.estimate(resolved, { contextLength: input.contextLength, kvCacheType: input.kvCacheType });
    return { ...fit, model: resolved.tag, archSource: resolved.source, fileSizeBytes: resolved.fileSizeBytes, ...(resolved.file ? { file: resolved.file } : {}), calibration: this.deps.calibration() };
  }

  async recommend(input: { kvCacheType?: KvCacheType; preferResident?: boolean; refresh?: boolean } = {}): Promise<Recommendation> {
    const [hardware, catalog] = await Promise.all([this.deps.hardware.detect({ refresh: input.refresh }), this.deps.catalog()]);
    let installed: string[] = [];
    try {
      installed = (await this.installed()).map((m) => m.name);
    } catch (error) {
      this.deps.logger.info('recommending without the installed list', { error: (error as Error).message });
    }
    const calibration = this.deps.calibration();
    const catalogTags = new Map(catalog.models.map((m) => [modelKey(m.tag), m]));
    const recommendation = recommendModels({
      hardware,
      catalog,
      // The recommender compares catalog tags with what is installed, so speak its spelling.
      installed: catalog.models.filter((m) => installed.some((name) => modelKey(name) === modelKey(m.tag))).map((m) => m.tag),
      kvCacheType: input.kvCacheType ?? this.defaultKvCacheType(),
      gpuOverheadBytes: this.gpuOverheadBytes(),
      preferResident: input.preferResident,
      ...(calibration !== null ? { calibration } : {}),
    });
    return {
      ...recommendation,
      roles: recommendation.roles.map((r) => ({ ...r, downloadBytes: r.model ? (catalogTags.get(modelKey(r.model))?.sizeBytes ?? null) : null })),
      calibration,
    };
  }

  async overview(input: { contextLength?: number; kvCacheType?: KvCacheType } = {}): Promise<ModelsOverview> {
    const contextLength = input.contextLength ?? DEFAULT_CONTEXT;
    const kvCacheType = input.kvCacheType ?? this.defaultKvCacheType();
    const [hardware, catalog] = await Promise.all([this.deps.hardware.detect(), this.deps.catalog()]);
    const host = this.deps.ollama.host;
    let list: ModelResponse[] = [];
    let loaded: LoadedModel[] = [];
    let ollama: ModelsOverview['ollama'] = { host, reachable: true, error: null };
    try {
      [list, loaded] = await Promise.all([this.installed(), this.loaded()]);
    } catch (error) {
      ollama = { host, reachable: false, error: (error as Error).message };
    }
    const options = { contextLength, kvCacheType };
    const installed: InstalledModel[] = await Promise.all(
      list.map(async (m) => {
        const base = {
          name: m.name,
          sizeBytes: m.size,
          family: m.details?.family || null,
          parameterSize: m.details?.parameter_size || null,
          quantization: m.details?.quantization_level || null,
          modifiedAt: m.modified_at ? new Date(m.modified_at).toISOString() : null,
        };
        try {
          const fit = await this.estimate(await this.resolve(m.name, list), options, hardware);
          return { ...base, fit, fitError: null };
        } catch (error) {
          return { ...base, fit: null, fitError: (error as Error).message };
        }
      }),
    );
    const installedKeys = new Set(list.map((m) => modelKey(m.name)));
    const catalogModels: CatalogModel[] = await Promise.all(
      catalog.models.map(async (m) => ({
        tag: m.tag,
        roles: m.roles,
        family: m.family,
        parameterCount: m.parameterCount,
        quantization: m.quantization,
        sizeBytes: m.sizeBytes,
        notes: m.notes,
        installed: installedKeys.has(modelKey(m.tag)),
        fit: await this.estimate({ tag: m.tag, arch: archOf(m), fileSizeBytes: m.sizeBytes, source: 'catalog' }, options, hardware),
      })),
    );
    const gpus = offloadGpus(hardware);
    return {
      ollama,
      installed,
      loaded,
      catalog: catalogModels,
      contextLength,
      kvCacheType,
      calibration: this.deps.calibration(),
      hardware: {
        gpuName: gpus[0]?.name ?? null,
        vramBytes: fitGpus(hardware).reduce((sum, g) => sum + g.vramBytes, 0),
        ramBytes: hardware.ramBytes,
        unifiedMemory: hardware.unifiedMemory,
      },
    };
  }

  /** What Ollama said the model can do, once its metadata was read (resolve); undefined before or for older Ollamas. */
  capabilitiesOf(model: Pick<ModelResponse, 'digest' | 'name'>): string[] | undefined {
    return this.capabilitiesByDigest.get(model.digest || model.name);
  }

  /** An `hf.co/{user}/{repo}:{quant}` not yet pulled: the architecture from its GGUF header on Hugging Face. */
  private async fromHuggingFace(tag: string): Promise<ResolvedModel> {
    const hf = this.deps.huggingFace;
    if (!hf) throw new SwitchboardError('unavailable', `The fit of ${tag} is known after the pull (Hugging Face cannot be read here).`);
    const cached = this.ggufByTag.get(tag);
    if (cached) return cached;
    if (this.deps.isOffline?.()) throw offlineFit(tag);
    let header;
    try {
      header = await readHfGgufHeader(tag, hf);
    } catch (error) {
      if (error instanceof SwitchboardError && error.code === 'offline') throw offlineFit(tag);
      if (error instanceof SwitchboardError) throw error;
      throw new SwitchboardError('network', `Hugging Face could not be reached for ${tag} (${(error as Error).message}); the fit is known after the pull.`);
    }
    const resolved: ResolvedModel = { tag, arch: archFromModelInfo(header.modelInfo, `${tag} (${header.file})`), fileSizeBytes: header.sizeBytes, source: 'gguf', file: header.file };
    this.ggufByTag.set(tag, resolved);
    return resolved;
  }

  private async archOf(model: ModelResponse, fallback: ModelArch | undefined): Promise<ModelArch> {
    const cacheKey = model.digest || model.name;
    const cached = this.archByDigest.get(cacheKey);
    if (cached) return cached;
    let info: Record<string, unknown>;
    try {
      const shown = await this.deps.ollama.client(AbortSignal.timeout(OLLAMA_TIMEOUT_MS)).show({ model: model.name });
      info = (shown.model_info ?? {}) as unknown as Record<string, unknown>;
      if (Array.isArray(shown.capabilities)) this.capabilitiesByDigest.set(cacheKey, shown.capabilities);
    } catch (error) {
      throw toOllamaError(error, this.deps.ollama.host, model.name);
    }
    const arch = archFromModelInfo(info, model.name, fallback);
    this.archByDigest.set(cacheKey, arch);
    return arch;
  }
}

function offlineFit(tag: string): SwitchboardError {
  return new SwitchboardError('offline', `Offline: the fit of ${tag} is known after the pull (its GGUF header on Hugging Face is not read in offline mode).`);
}
