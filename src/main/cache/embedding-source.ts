import { SwitchboardError } from '../../shared/errors';
import type { Logger } from '../logger';
import type { CacheClock, Embedder } from './types';

export const NO_EMBEDDER_REASON = 'no embedding model installed: pull nomic-embed-text';

export interface EmbeddingSourceOptions {
  embedder?: Embedder | null;
  /** Why there is no embedder, when the app knows better than "none installed". */
  unavailableReason?: string;
  clock: CacheClock;
  /** A cold embedding model loads in a few seconds; past this the lookup goes on without it. */
  timeoutMs?: number;
  /** After a failure, semantic matching rests this long instead of failing (and waiting) on every lookup. */
  backoffMs?: number;
  logger?: Logger;
}

/** A failed embedding: the lookup carries on exact-only, with this as the reason. */
export interface EmbeddingFailure {
  error: string;
}

const MEMO_SIZE = 64;

/**
 * The injected embedding function, made safe to call on every lookup: a time limit, a rest after
 * failures, and a small memo so the `store` after a missed `lookup` does not embed the prompt twice.
 * The caller's AbortSignal reaches the embed request; an abort by the caller is thrown, not swallowed.
 */
export class EmbeddingSource {
  private embedder: Embedder | null;
  private reason: string;
  private failure: { message: string; until: number } | undefined;
  private readonly memo = new Map<string, Float32Array>();
  private readonly timeoutMs: number;
  private readonly backoffMs: number;

  constructor(private readonly options: EmbeddingSourceOptions) {
    this.embedder = options.embedder ?? null;
    this.reason = options.unavailableReason ?? NO_EMBEDDER_REASON;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.backoffMs = options.backoffMs ?? 30_000;
  }

  set(embedder: Embedder | null, unavailableReason?: string): void {
    this.embedder = embedder;
    this.reason = unavailableReason ?? NO_EMBEDDER_REASON;
    this.failure = undefined;
    this.memo.clear();
  }

  get model(): string | undefined {
    return this.embedder?.model;
  }

  /** Why embeddings cannot be had right now, or undefined when they can. */
  unavailableReason(): string | undefined {
    if (!this.embedder) return this.reason;
    if (this.failure && this.options.clock.now() < this.failure.until) {
      const seconds = Math.ceil((this.failure.until - this.options.clock.now()) / 1000);
      return `embedding model ${this.embedder.model} failed (${this.failure.message}); retrying in ${seconds} s`;
    }
    return undefined;
  }

  async embed(text: string, signal?: AbortSignal): Promise<Float32Array | EmbeddingFailure> {
    const embedder = this.embedder;
    if (!embedder) return { error: this.reason };
    const memoKey = `${embedder.model}\u0000${text}`;
    const known = this.memo.get(memoKey);
    if (known) return known;
    const resting = this.unavailableReason();
    if (resting) return { error: resting };
    const limit = AbortSignal.timeout(this.timeoutMs);
    try {
      const [raw] = await embedder.embed([text], signal ? AbortSignal.any([signal, limit]) : limit);
      const vector = toVector(raw);
      this.remember(memoKey, vector);
      return vector;
    } catch (error) {
      if (signal?.aborted) throw new SwitchboardError('cancelled', 'The request was stopped.', { cause: error });
      const message = limit.aborted ? `no answer within ${this.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
      this.failure = { message, until: this.options.clock.now() + this.backoffMs };
      this.options.logger?.warn('cache: embedding failed, semantic matching paused', { model: embedder.model, error: message });
      return { error: `embedding failed: ${message}` };
    }
  }

  private remember(key: string, vector: Float32Array): void {
    this.memo.delete(key);
    this.memo.set(key, vector);
    if (this.memo.size > MEMO_SIZE) this.memo.delete(this.memo.keys().next().value as string);
  }
}

function toVector(raw: number[] | undefined): Float32Array {
  if (!raw || raw.length === 0) throw new Error('the embedding model returned no vector');
  let norm = 0;
  for (const x of raw) {
    if (!Number.isFinite(x)) throw new Error('the embedding has a non-finite value');
    norm += x * x;
  }
  if (norm === 0) throw new Error('the embedding is the zero vector');
  return Float32Array.from(raw);
}

export function isEmbeddingFailure(value: Float32Array | EmbeddingFailure): value is EmbeddingFailure {
  return !(value instanceof Float32Array);
}
