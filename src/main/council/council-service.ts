import { randomUUID } from 'node:crypto';
import type { CostEstimate, CouncilLive, CouncilStart } from '../../shared/contract';
import { applyCouncilProgress, startLive } from '../../shared/council-live';
import { SwitchboardError, serializeError } from '../../shared/errors';
import type { ParallelModels } from '../answer';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../logger';
import type { Db } from '../store';
import { CouncilRepo } from './council-repo';
import { estimateCouncil } from './council-estimate';
import { DEFAULT_POOL_TIMEOUTS_MS, poolTimeoutMs, type CouncilPool } from './pools';
import { runCouncil } from './run-council';
import type { CouncilRecord } from './types';

/** What `start` and `estimate` take: the contract's start input after its defaults. */
export type { CouncilStart };

interface ActiveRun {
  controller: AbortController;
  live: CouncilLive;
  done: Promise<CouncilRecord | null>;
}

/**
 * Council runs for the app: each starts in the background, streams its progress onto the event
 * bus (`council.progress`), is saved when it ends (`council.finished`), and can be cancelled.
 */
export class CouncilService {
  readonly repo: CouncilRepo;
  private readonly active = new Map<string, ActiveRun>();
  private disposed = false;

  constructor(private readonly d: { db: Db; events: EventBus; models: ParallelModels; logger: Logger }) {
    this.repo = new CouncilRepo(d.db);
  }

  /** What the run would cost before it starts (each call still reserves its worst case as it starts). */
  estimate(input: CouncilStart): Promise<CostEstimate> {
    return estimateCouncil(this.d.models.estimate, input);
  }

  options(): { poolTimeoutsMs: Record<CouncilPool, number> } {
    return { poolTimeoutsMs: { ...DEFAULT_POOL_TIMEOUTS_MS } };
  }

  async start(input: CouncilStart): Promise<{ runId: string; live: CouncilLive }> {
    if (this.disposed) throw new SwitchboardError('unavailable', 'Switchboard is shutting down; start the council again after it restarts.');
    const problems = [];
    if (new Set(input.models).size !== input.models.length) problems.push('a model is listed twice');
    if (input.models.length < 2) problems.push('a council needs at least two models (for one model, use a normal chat)');
    if (input.minResponses < 1 || input.minResponses > input.models.length) problems.push(`min responses must be between 1 and ${input.models.length}`);
    if (problems.length) throw new SwitchboardError('invalid_input', `Cannot start the council: ${problems.join('; ')}.`);
    // Issue #10: at the stop threshold no paid call starts; say so before anything runs.
    const refusal = this.d.models.estimate.paidRefusal(input.chairman ? [...input.models, input.chairman] : input.models);
    if (refusal) throw new SwitchboardError('budget_exceeded', `Cannot start the council: ${refusal}`, { retryable: false });

    const runId = randomUUID();
    const timeoutMs = poolTimeoutMs(input.pool, {}, input.perModelTimeoutMs);
    const loaded = await this.d.models.loadedLocal();
    const controller = new AbortController();
    const run: ActiveRun = {
      controller,
      live: startLive({ runId, question: input.question, mode: input.mode, pool: input.pool, models: input.models, minResponses: input.minResponses, perModelTimeoutMs: timeoutMs, startedAt: Date.now() }),
      done: Promise.resolve(null),
    };
    this.active.set(runId, run);
    this.d.events.emit('council.started', { live: run.live });
    run.done = runCouncil({
      id: runId,
      question: input.question,
      models: input.models,
      minResponses: input.minResponses,
      pool: input.pool,
      perModelTimeoutMs: input.perModelTimeoutMs,
      mode: input.mode,
      chairman: input.chairman,
      runner: this.d.models.runner(input.pool, timeoutMs),
      timeoutForModel: (model, ms) => this.d.models.withColdStart(model, ms, loaded),
      signal: controller.signal,
      costOf: this.d.models.costOf,
      logger: this.d.logger,
      onEvent: (event) => {
        run.live = applyCouncilProgress(run.live, event);
        this.d.events.emit('council.progress', { event });
      },
    })
      .then((record) => {
        try {
          this.repo.save(record);
        } catch (error) {
          this.d.logger.error('a council run could not be saved', { runId, error });
        }
        this.d.events.emit('council.finished', { runId, record, error: record.error });
        return record;
      })
      .catch((error: unknown) => {
        this.d.logger.warn('a council run could not start', { runId, error });
        this.d.events.emit('council.finished', { runId, record: null, error: serializeError(error) });
        return null;
      })
      .finally(() => this.active.delete(runId));
    return { runId, live: run.live };
  }

  /** The run's record once it has ended (null if it could not start). */
  wait(runId: string): Promise<CouncilRecord | null> {
    const run = this.active.get(runId);
    return run ? run.done : Promise.resolve(this.repo.get(runId));
  }

  cancel(runId: string): boolean {
    const run = this.active.get(runId);
    run?.controller.abort();
    return !!run;
  }

  list(limit = 100): { active: CouncilLive[]; runs: ReturnType<CouncilRepo['list']> } {
    return { active: [...this.active.values()].map((r) => r.live), runs: this.repo.list({ limit }) };
  }

  get(id: string): { live: CouncilLive | null; record: CouncilRecord | null } {
    const live = this.active.get(id)?.live ?? null;
    const record = live ? null : this.repo.get(id);
    if (!live && !record) throw new SwitchboardError('not_found', 'That council run no longer exists.');
    return { live, record };
  }

  delete(id: string): boolean {
    if (this.active.has(id)) throw new SwitchboardError('conflict', 'Stop the council run before deleting it.');
    return this.repo.delete(id);
  }

  /** Stops every run and waits until each is saved (before the database closes). */
  async dispose(): Promise<void> {
    this.disposed = true;
    const runs = [...this.active.values()];
    for (const run of runs) run.controller.abort();
    await Promise.all(runs.map((r) => r.done));
  }
}
