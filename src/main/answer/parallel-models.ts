import type { Tier } from '../../shared/contract';
import { formatModelId } from '../../shared/model-id';
import type { Logger } from '../logger';
import type { OllamaProvider } from '../providers/ollama/ollama-provider';
import type { PriceBook } from '../catalog';
import { LOCAL_COLD_START_MS, type Pool } from '../reliability';
import type { AnswerPipeline } from './answer-pipeline';
import { pipelineRunner } from './pipeline-runner';
import type { RoutingServices } from '../router';
import { costOf, type CostOf, type ModelRunner } from '../runner';
import { CostEstimator } from './cost-estimate';

/** Margin of the reliability layer's total timeout over the council's / executor's own bound. */
const INNER_TIMEOUT_MARGIN_MS = 5_000;
/** How long one /api/ps answer stays good: enough for a burst of task routing, short enough to notice loads. */
const LOADED_CACHE_MS = 2_000;

export interface ParallelModelsDeps {
  /** Prices and tiers (with Settings' overrides). */
  prices: Pick<PriceBook, 'priceOf' | 'tierOf'>;
  routing: RoutingServices;
  /** Every council and task-graph call is an answer of the pipeline: budget, gates, call log. */
  pipeline: AnswerPipeline;
  ollama: OllamaProvider;
  logger: Logger;
}

/**
 * What the council and the task graphs need from the model layer: a runner on the right timeout
 * pool, prices, which local models are warm, and the strongest model that can run now.
 */
export class ParallelModels {
  private loaded: { at: number; names: Promise<Set<string>> } | null = null;
  /** Cost before a run starts, and the budget's refusal of paid models at the stop threshold. */
  readonly estimate: CostEstimator;

  constructor(private readonly d: ParallelModelsDeps) {
    this.estimate = new CostEstimator({ routing: d.routing, tierOf: (m) => this.tierOf(m) });
  }

  /**
   * The app's runner (`services.runner`) uses the reliability layer's `balanced` pool, whose
   * 90 s total would cut a `reasoning` council member at 90 s. Council members and tasks get the
   * pool they were given; the total is set just above the caller's own bound, so the council or
   * executor times a call out itself (and says so) rather than the layer underneath.
   */
  runner(pool: Pool, outerTotalMs: number): ModelRunner {
    return pipelineRunner(this.d.pipeline, { pool, totalMs: outerTotalMs + INNER_TIMEOUT_MARGIN_MS });
  }

  /** USD of one call at the catalog's prices (local and free tiers cost nothing). */
  readonly costOf: CostOf = (model, usage) => {
    try {
      return costOf(usage, this.d.prices.priceOf(model), this.d.prices.tierOf(model));
    } catch (error) {
      this.d.logger.warn('no price for a model', { model, error });
      return null;
    }
  };

  tierOf(model: string): Tier {
    try {
      return this.d.prices.tierOf(model);
    } catch {
      return 'paid';
    }
  }

  /** Local models Ollama has in memory now (empty when it cannot say). */
  async loadedLocal(now = Date.now()): Promise<Set<string>> {
    if (!this.loaded || now - this.loaded.at > LOADED_CACHE_MS) {
      const names = this.d.ollama
        .client(AbortSignal.timeout(2_000))
        .ps()
        .then((r) => new Set(r.models.map((m) => formatModelId('ollama', m.name))))
        .catch((error: unknown) => {
          this.d.logger.debug('could not read loaded Ollama models; assuming none is loaded', { error });
          return new Set<string>();
        });
      this.loaded = { at: now, names };
    }
    return this.loaded.names;
  }

  /**
   * A per-call bound plus the reliability layer's cold-start grace for a local model Ollama still
   * has to load from disk (LOCAL_COLD_START_MS): a cold load is not a slow answer.
   */
  withColdStart(model: string, timeoutMs: number, loaded: ReadonlySet<string>): number {
    return this.tierOf(model) === 'local' && !loaded.has(model) ? timeoutMs + LOCAL_COLD_START_MS : timeoutMs;
  }

  /**
   * The strongest model that can run now, for planning and writing a graph's answer (seed 003:
   * the orchestrator is the strongest model, executors are cheap): the top rung of the router's
   * escalation path with an eligible model, walking down; among local models the highest quality.
   */
  async strongest(): Promise<{ model: string | null; reason: string }> {
    const router = this.d.routing.router;
    const probe = [{ role: 'user' as const, content: 'Plan this request.' }];
    await router.preview(probe); // brings the installed models and keys up to date for the loop below
    const config = this.d.routing.config();
    const inputs = this.d.routing.inputs;
    for (const rung of [...config.escalationPath].reverse()) {
      let ids = [...(config.rungs[rung] ?? [])];
      if (rung === 'local') {
        if (config.localFallbackToInstalled) ids.push(...inputs.installedLocal().filter((id) => !ids.includes(id)));
        ids = ids.sort((a, b) => (inputs.model(b)?.quality ?? 0) - (inputs.model(a)?.quality ?? 0));
      }
      for (const id of ids) {
        if (router.previewCached(probe, { model: id }).model !== null) {
          return { model: id, reason: `${id} is the strongest model available now (the "${rung}" rung of the router's escalation path).` };
        }
      }
    }
    return { model: null, reason: 'No model can run now: start Ollama and pull a model, or add a cloud key in Settings → Providers.' };
  }
}
