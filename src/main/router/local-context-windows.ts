import type { ModelResponse } from 'ollama';
import type { LoadedModel } from '../../shared/contract';
import type { Logger } from '../logger';
import type { LocalWindow } from './local-context';
import { OLLAMA_DEFAULT_CONTEXT } from './local-context';
import type { LocalModelsService } from '../models';
import { modelKey } from '../models';

/**
 * Each installed Ollama model's context window as the router needs it (issue #13): the trained
 * context from /api/show's `<arch>.context_length`, the largest context that stays on the GPU per
 * the fit estimator (with this machine's calibration), and the context it is loaded with (/api/ps).
 * `refresh()` is async (a few local requests; /api/show answers are cached per digest by the
 * LocalModelsService); `window()` reads the last result synchronously for the policy.
 */
export class LocalContextWindows {
  private windows = new Map<string, LocalWindow>();
  /** Models /api/show says cannot chat (capabilities without "completion": embedding models). */
  private noChat = new Set<string>();
  /** Estimates per digest and calibration: the GPU bound only changes with those. */
  private readonly gpuBound = new Map<string, { trained: number; gpu: number | null }>();

  constructor(private readonly d: { localModels: Pick<LocalModelsService, 'installed' | 'loaded' | 'resolve' | 'estimate' | 'capabilitiesOf'>; calibration: () => number | null; logger: Logger }) {}

  /** Re-reads the installed and loaded models; a model whose metadata cannot be read keeps no window. */
  async refresh(): Promise<void> {
    const [list, loaded] = await Promise.all([this.d.localModels.installed(), this.d.localModels.loaded().catch((): LoadedModel[] => [])]);
    const next = new Map<string, LocalWindow>();
    const noChat = new Set<string>();
    for (const m of list) {
      const bound = await this.boundOf(m, list);
      const capabilities = this.d.localModels.capabilitiesOf(m);
      if (capabilities && !capabilities.includes('completion')) noChat.add(modelKey(m.name));
      if (!bound) continue;
      const load = loaded.find((l) => modelKey(l.name) === modelKey(m.name));
      next.set(modelKey(m.name), { ...bound, loaded: load?.contextLength ?? (load ? OLLAMA_DEFAULT_CONTEXT : null) });
    }
    this.windows = next;
    this.noChat = noChat;
  }

  /** False when Ollama says the model only embeds (never offered for chat, council or tasks); true when unknown. */
  canChat(name: string): boolean {
    return !this.noChat.has(modelKey(name));
  }

  /** By Ollama name (`qwen2.5-coder:7b`, `llama3.2` = `llama3.2:latest`). */
  window(name: string): LocalWindow | undefined {
    return this.windows.get(modelKey(name));
  }

  private async boundOf(m: ModelResponse, list: ModelResponse[]): Promise<{ trained: number; gpu: number | null } | null> {
    const key = `${m.digest || m.name}:${this.d.calibration() ?? 1}`;
    const known = this.gpuBound.get(key);
    if (known) return known;
    try {
      const resolved = await this.d.localModels.resolve(m.name, list);
      const trained = resolved.arch.contextLength;
      // Estimated at the trained context: maxFullGpuCtx searches every context up to it.
      const fit = await this.d.localModels.estimate(resolved, { contextLength: trained });
      const onGpu = fit.maxFullGpuCtx;
      // 0: not even a small context loads entirely on the GPU (or there is none): it runs partly
      // on the CPU at any context, so the GPU sets no bound and the trained context is the limit.
      const bound = { trained, gpu: onGpu >= OLLAMA_DEFAULT_CONTEXT ? onGpu : null };
      this.gpuBound.set(key, bound);
      return bound;
    } catch (error) {
      this.d.logger.info('no context window for a local model', { model: m.name, error: (error as Error).message });
      return null;
    }
  }
}
