import { randomUUID } from 'node:crypto';
import type { PullJob } from '../../shared/contract';
import { SwitchboardError, serializeError } from '../../shared/errors';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../logger';
import { toOllamaError, type OllamaProvider } from '../providers/ollama';
import { modelKey, ollamaTag } from './model-name';
import { PullProgress } from './pull-progress';
import type { PullStore, StoredPull } from './pull-store';

export interface PullRetryOptions {
  /** Requests in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** 1, 2, 4, 8, 16 s: rides out a Wi-Fi hand-over or an Ollama restart; a longer outage is a failure to report. */
export const DEFAULT_PULL_RETRY: PullRetryOptions = { attempts: 6, baseDelayMs: 1_000, maxDelayMs: 30_000 };
const PROGRESS_INTERVAL_MS = 250;
const KEEP_FINISHED = 50;

export interface PullManagerDeps {
  ollama: OllamaProvider;
  events: EventBus;
  logger: Logger;
  retry?: Partial<PullRetryOptions>;
  /** Least time between two progress events of one pull (state changes are sent at once). */
  progressIntervalMs?: number;
  now?: () => number;
  /**
   * Offline mode. Our guarded fetch only sees the request to the local Ollama (`POST /api/pull`,
   * loopback, allowed); the download itself is made by the Ollama daemon, which offline mode cannot
   * reach. So pulls are refused here, before Ollama is asked.
   */
  isOffline?: () => boolean;
  /** Pulls in progress, kept across restarts (issue #13); without it a quit forgets them. */
  store?: PullStore;
}

interface Job {
  data: PullJob;
  controller: AbortController;
  progress: PullProgress;
  done: Promise<PullJob>;
  lastEmit: number;
}

/**
 * `ollama pull` with progress events, cancel and resume. Cancel aborts the HTTP request (the
 * AbortSignal reaches ollama-js's fetch); a dropped connection is retried with backoff, and because
 * Ollama keeps the partial blobs the retry carries on from the bytes already downloaded.
 */
export class PullManager {
  private readonly jobs = new Map<string, Job>();
  private readonly retry: PullRetryOptions;
  private readonly now: () => number;
  /** Quitting: the pulls stopped now are resumed at the next start, so their rows stay. */
  private closing = false;

  constructor(private readonly deps: PullManagerDeps) {
    this.retry = { ...DEFAULT_PULL_RETRY, ...deps.retry };
    this.now = deps.now ?? Date.now;
  }

  /**
   * Starts the pulls that were running when the app last stopped (quit or crash), with their ids:
   * Ollama kept the partial blobs, so each carries on from the bytes already downloaded, and a
   * failed request is retried with the usual backoff (Ollama may still be starting).
   */
  resumeInterrupted(): PullJob[] {
    const stored = this.deps.store?.list() ?? [];
    const resumed: PullJob[] = [];
    for (const pull of stored) {
      if (this.deps.isOffline?.()) {
        this.deps.logger.info('an interrupted pull waits for offline mode to be turned off', { model: pull.model });
        continue;
      }
      try {
        resumed.push(this.pull(pull.model, pull));
      } catch (error) {
        this.deps.logger.warn('an interrupted pull could not be resumed', { model: pull.model, error });
      }
    }
    if (resumed.length > 0) this.deps.logger.info('resuming pulls interrupted by the last shutdown', { models: resumed.map((j) => j.model) });
    return resumed;
  }

  /** Starts pulling `model`, or returns the pull already running for it. */
  pull(model: string, resume?: StoredPull): PullJob {
    const tag = ollamaTag(model);
    if (this.deps.isOffline?.()) {
      throw new SwitchboardError(
        'offline',
        `Offline mode is on, so ${tag} was not pulled: the Ollama daemon downloads models from the internet itself, outside Switchboard's network guard. Turn offline mode off in Settings to pull it.`,
        { retryable: false, details: { model: tag } },
      );
    }
    const running = [...this.jobs.values()].find((j) => isActive(j.data) && modelKey(j.data.model) === modelKey(tag));
    if (running) return { ...running.data };
    const now = this.now();
    const job: Job = {
      data: {
        id: resume?.id ?? randomUUID(), model: tag, state: 'pulling', status: resume ? 'resuming' : 'pulling manifest',
        completedBytes: resume?.completedBytes ?? 0, totalBytes: resume?.totalBytes ?? 0,
        bytesPerSecond: 0, etaSeconds: null, attempt: 1, startedAt: resume?.startedAt ?? now, updatedAt: now, error: null,
      },
      controller: new AbortController(),
      progress: new PullProgress(),
      done: Promise.resolve(null as unknown as PullJob),
      lastEmit: 0,
    };
    this.jobs.set(job.data.id, job);
    this.prune();
    this.persist(job);
    job.done = this.run(job).catch((error: unknown) => {
      this.deps.logger.error('pull crashed', { model: tag, error });
      return this.finish(job, 'failed', error instanceof SwitchboardError ? error : new SwitchboardError('internal', (error as Error).message));
    });
    this.emit(job, true);
    return { ...job.data };
  }

  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job || !isActive(job.data)) return false;
    job.controller.abort();
    return true;
  }

  list(): PullJob[] {
    return [...this.jobs.values()].map((j) => ({ ...j.data })).sort((a, b) => b.startedAt - a.startedAt);
  }

  get(id: string): PullJob | null {
    const job = this.jobs.get(id);
    return job ? { ...job.data } : null;
  }

  /** Resolves with the job once it has completed, failed or been cancelled. */
  async wait(id: string): Promise<PullJob> {
    const job = this.jobs.get(id);
    if (!job) throw new SwitchboardError('not_found', 'There is no such pull.');
    return job.done;
  }

  async delete(model: string): Promise<boolean> {
    const tag = ollamaTag(model);
    // A model half pulled is deleted as it stands: stop its pull first so it does not come back.
    for (const job of this.jobs.values()) {
      if (isActive(job.data) && modelKey(job.data.model) === modelKey(tag)) {
        job.controller.abort();
        await job.done;
      }
    }
    try {
      await this.deps.ollama.client(AbortSignal.timeout(30_000)).delete({ model: tag });
    } catch (error) {
      const e = toOllamaError(error, this.deps.ollama.host, tag);
      if (e.code === 'model_not_found') throw new SwitchboardError('not_found', `${tag} is not installed, so there is nothing to delete.`);
      throw e;
    }
    this.deps.events.emit('localModels.changed', { model: tag, change: 'deleted' });
    return true;
  }

  /** Cancels every pull and waits until each has ended (quit). */
  async dispose(): Promise<void> {
    this.closing = true;
    for (const job of this.jobs.values()) if (isActive(job.data)) job.controller.abort();
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }

  private async run(job: Job): Promise<PullJob> {
    const { signal } = job.controller;
    const model = job.data.model;
    for (let attempt = 1; ; attempt++) {
      job.data.attempt = attempt;
      job.progress.restartSpeed();
      try {
        const stream = await this.deps.ollama.client(signal).pull({ model, stream: true });
        for await (const line of stream) {
          job.progress.apply(line, this.now());
          const resumed = job.data.state === 'retrying';
          if (resumed) {
            job.data.state = 'pulling';
            job.data.error = null;
          }
          this.emit(job, resumed);
        }
        // ollama-js ends the iteration at the `success` line and throws if the stream stops before it.
        const done = this.finish(job, 'completed', null);
        this.deps.events.emit('localModels.changed', { model, change: 'pulled' });
        return done;
      } catch (error) {
        if (signal.aborted) return this.finish(job, 'cancelled', new SwitchboardError('cancelled', `Stopped pulling ${model}.`));
        const e = pullError(error, this.deps.ollama.host, model);
        if (!e.retryable || attempt >= this.retry.attempts) {
          this.deps.logger.warn('pull failed', { model, attempt, code: e.code });
          return this.finish(job, 'failed', e);
        }
        const delay = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
        job.data.state = 'retrying';
        job.data.status = `connection lost; resuming in ${Math.ceil(delay / 1000)} s (attempt ${attempt + 1} of ${this.retry.attempts})`;
        job.data.error = serializeError(e);
        this.emit(job, true);
        await sleep(delay, signal);
        if (signal.aborted) return this.finish(job, 'cancelled', new SwitchboardError('cancelled', `Stopped pulling ${model}.`));
      }
    }
  }

  private finish(job: Job, state: 'completed' | 'failed' | 'cancelled', error: SwitchboardError | null): PullJob {
    job.data.state = state;
    job.data.error = error ? serializeError(error) : null;
    if (state === 'completed') {
      job.data.status = 'success';
      job.data.completedBytes = job.data.totalBytes = Math.max(job.progress.totalBytes, job.progress.completedBytes);
    }
    job.data.bytesPerSecond = 0;
    job.data.etaSeconds = state === 'completed' ? 0 : null;
    this.emit(job, true);
    // Stopped by a quit, it is resumed at the next start; any other end (cancel included) forgets it.
    if (!(this.closing && state === 'cancelled')) this.unpersist(job);
    return { ...job.data };
  }

  private persist(job: Job): void {
    try {
      this.deps.store?.save({ ...job.data });
    } catch (error) {
      this.deps.logger.warn('a pull could not be saved for resuming', { model: job.data.model, error });
    }
  }

  private unpersist(job: Job): void {
    try {
      this.deps.store?.remove(job.data.id);
    } catch (error) {
      this.deps.logger.warn('a finished pull could not be forgotten', { model: job.data.model, error });
    }
  }

  private emit(job: Job, force: boolean): void {
    const now = this.now();
    if (isActive(job.data)) {
      // A resumed pull shows the bytes it had until Ollama reports its layers again.
      if (job.progress.totalBytes > 0 || job.data.totalBytes === 0) {
        job.data.status = job.data.state === 'retrying' ? job.data.status : job.progress.status;
        job.data.completedBytes = job.progress.completedBytes;
        job.data.totalBytes = job.progress.totalBytes;
      }
      job.data.bytesPerSecond = Math.round(job.progress.bytesPerSecond());
      job.data.etaSeconds = job.progress.etaSeconds();
    }
    job.data.updatedAt = now;
    if (!force && now - job.lastEmit < (this.deps.progressIntervalMs ?? PROGRESS_INTERVAL_MS)) return;
    job.lastEmit = now;
    if (isActive(job.data)) this.persist(job);
    this.deps.events.emit('localModels.pull', { job: { ...job.data } });
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => !isActive(j.data)).sort((a, b) => a.data.startedAt - b.data.startedAt);
    for (const job of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(job.data.id);
  }
}

function isActive(job: PullJob): boolean {
  return job.state === 'pulling' || job.state === 'retrying';
}

/**
 * What went wrong, in the taxonomy. Errors Ollama streams as a line arrive as plain Errors with its
 * text: a missing manifest is a wrong name (not worth retrying); its own download giving up and a
 * stream cut short are network trouble, retried.
 */
export function pullError(error: unknown, host: string, model: string): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as { status_code?: unknown }).status_code;
  if (status === undefined && /file does not exist|manifest unknown|pull model manifest: .*not found/i.test(message)) {
    const hf = /^(hf\.co|huggingface\.co)\//i.test(model);
    return new SwitchboardError(
      'model_not_found',
      hf
        ? `Hugging Face has no GGUF at "${model}". Check that the repository exists and is public, and that the quantization after ":" is one of its GGUF files (for example Q4_K_M).`
        : `Ollama's library has no model "${model}". Check the name at https://ollama.com/library.`,
      { details: { model } },
    );
  }
  if (status === undefined && /did not receive done or success|max retries exceeded|unexpected EOF|connection reset|terminated/i.test(message)) {
    return new SwitchboardError('network', `The download of ${model} was cut off (${message}).`, { details: { host, model } });
  }
  return toOllamaError(error, host, model);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
