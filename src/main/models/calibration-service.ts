import type { CalibrationSample, KvCacheType } from '../../shared/contract';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../logger';
import type { CalibrationRepo } from './calibration-repo';
import { DEFAULT_CONTEXT } from './fit';
import type { LocalModelsService } from './local-models-service';
import { sameModel } from './model-name';

/**
 * A load whose measurement is this far from the estimate is not a calibration signal but a model
 * the estimator mis-reads (odd metadata, a projector, another engine): kept out of the median.
 */
export const PLAUSIBLE_RATIO = { min: 0.5, max: 2 } as const;

export interface CalibrationServiceDeps {
  repo: CalibrationRepo;
  localModels: LocalModelsService;
  logger: Logger;
  now?: () => number;
}

/**
 * Holds the estimator against real loads. After a model loads (a chat reply on an Ollama model
 * completed, or on demand) it reads /api/ps: `size` is all the memory the load holds and
 * `size_vram` the part on the GPU. Each is stored beside the estimate for the same model, context and
 * KV cache type (uncalibrated, as if the GPU were empty); the median `size / totalBytes` over the
 * newest loads becomes `calibration` for every later estimate on this machine.
 */
export class CalibrationService {
  private readonly inflight = new Set<Promise<unknown>>();
  /** What was last sampled per model, so repeated replies on the same load do not re-record it. */
  private readonly lastSeen = new Map<string, string>();
  private readonly now: () => number;

  constructor(private readonly deps: CalibrationServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  factor(): number | null {
    return this.deps.repo.factor();
  }

  sampleCount(): number {
    return this.deps.repo.count();
  }

  /** The newest samples, newest first. */
  samples(): CalibrationSample[] {
    return this.deps.repo.recent();
  }

  /** Reads /api/ps now and records a sample per loaded model (or only `model`). */
  async sampleLoaded(model?: string): Promise<CalibrationSample[]> {
    const loaded = await this.deps.localModels.loaded();
    const kvCacheType: KvCacheType = this.deps.localModels.defaultKvCacheType();
    const installed = await this.deps.localModels.installed();
    const recorded: CalibrationSample[] = [];
    for (const m of loaded) {
      if (model !== undefined && !sameModel(m.name, model)) continue;
      if (m.sizeBytes <= 0) continue;
      const contextLength = m.contextLength ?? DEFAULT_CONTEXT;
      const resolved = await this.deps.localModels.resolve(m.name, installed);
      const estimate = await this.deps.localModels.estimate(resolved, { contextLength, kvCacheType, calibration: null, emptyGpus: true });
      const sample: CalibrationSample = {
        model: resolved.tag,
        contextLength,
        kvCacheType,
        measuredBytes: m.sizeBytes,
        measuredVramBytes: m.vramBytes,
        estimatedBytes: estimate.totalBytes,
        estimatedVramBytes: estimate.perGpuBytes.reduce((a, b) => a + b, 0),
        ratio: m.sizeBytes / estimate.totalBytes,
        createdAt: this.now(),
      };
      this.lastSeen.set(resolved.tag, `${contextLength}:${m.sizeBytes}:${m.vramBytes}`);
      if (sample.ratio < PLAUSIBLE_RATIO.min || sample.ratio > PLAUSIBLE_RATIO.max) {
        this.deps.logger.warn('load too far from the estimate to calibrate with', { model: sample.model, ratio: sample.ratio });
        continue;
      }
      this.deps.repo.record(sample);
      recorded.push(sample);
    }
    return recorded;
  }

  /** Samples after each completed reply on an Ollama model: the model is loaded at that moment. */
  watch(events: EventBus): () => void {
    return events.subscribe((envelope) => {
      if (envelope.event !== 'chat.message') return;
      const { message } = envelope.payload;
      if (message.role !== 'assistant' || message.status !== 'complete' || !message.modelId?.startsWith('ollama/')) return;
      const model = message.modelId.slice('ollama/'.length);
      this.track(this.afterReply(model));
    });
  }

  /** Lets a sample that has started finish (it is a few local requests), so the database is still open. */
  async dispose(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private async afterReply(model: string): Promise<void> {
    try {
      const loaded = (await this.deps.localModels.loaded()).find((m) => sameModel(m.name, model));
      if (!loaded) return;
      const seen = `${loaded.contextLength ?? DEFAULT_CONTEXT}:${loaded.sizeBytes}:${loaded.vramBytes}`;
      const known = [...this.lastSeen.entries()].find(([name]) => sameModel(name, model))?.[1];
      if (known === seen) return;
      await this.sampleLoaded(model);
    } catch (error) {
      // Calibration is a refinement: a failed sample leaves the estimates as they were.
      this.deps.logger.info('calibration sample skipped', { model, error: (error as Error).message });
    }
  }

  private track(promise: Promise<unknown>): void {
    this.inflight.add(promise);
    void promise.finally(() => this.inflight.delete(promise));
  }
}
