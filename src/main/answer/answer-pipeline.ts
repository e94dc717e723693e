import type { CallPurpose } from '../../shared/contract';
import type { CacheHit, CacheRequest } from '../cache';
import type { ChatOptions, RunTimeouts } from '../runner';
import type { CascadeEvent, ConversationMessage, RouteOutcome, RouterService } from '../router';
import { modeFor } from './answer-modes';
import type { ReplyCache } from './reply-cache';

export interface AnswerCachePolicy {
  /** The conversation opted out: nothing is looked up or stored. */
  optOut?: boolean;
  /** "Ask again without cache": no lookup, but the fresh answer is stored (it replaces the old one). */
  skipLookup?: boolean;
}

export interface AnswerRequest {
  /** What the answer is for: the call log's purpose and the budget reservation's. */
  purpose: CallPurpose;
  /** `switchboard/auto`, `switchboard/local` or a model id (`provider/model`). */
  model: string;
  messages: readonly ConversationMessage[];
  conversationId?: string;
  /** The assistant message this answer fills. */
  messageId?: string;
  /** Temperature, a client's max_tokens (honoured and reserved), a JSON schema, stop sequences. */
  options?: ChatOptions;
  signal?: AbortSignal;
  onEvent?: (event: CascadeEvent) => void;
  deltas?: 'live' | 'kept' | 'stream';
  /** The caller sent exactly the context it wants (the API, council and task prompts): no summarising. */
  keepContext?: boolean;
  skipGates?: readonly string[];
  /** Look up and fill the response cache; absent = no cache (council members, task nodes). */
  cache?: AnswerCachePolicy;
  timeouts?: RunTimeouts;
  /** Write a decision record (default yes). */
  recordDecision?: boolean;
  /** The request carries tools (issue #15): only tool-capable models answer it. */
  requiresTools?: boolean;
}

export type AnswerOutcome =
  | { kind: 'cached'; hit: CacheHit }
  | { kind: 'routed'; route: RouteOutcome };

/**
 * The one answer pipeline (issue #10): every answer a model gives — a chat reply, a `/v1` completion,
 * a council member, reviewer or chairman, a plan, a task node, a graph's synthesis — goes
 * cache lookup → route (or the chosen model's checks) → budget reservation at the output cap sent
 * upstream → cascade with quality gates → call log and decision record → cache store.
 * A new caller cannot forget the budget, the gates or the record: there is no other way to a model.
 */
export class AnswerPipeline {
  /** Cache stores still running: an answer is returned before its store (issue #17), a lookup after it. */
  private readonly storing = new Set<Promise<void>>();

  constructor(private readonly d: { router: RouterService; cache: ReplyCache | null }) {}

  /** Resolves when every cache store started so far has finished. */
  async idle(): Promise<void> {
    while (this.storing.size > 0) await Promise.all([...this.storing]);
  }

  get router(): RouterService {
    return this.d.router;
  }

  async answer(request: AnswerRequest): Promise<AnswerOutcome> {
    let cacheRequest: CacheRequest | null = null;
    if (request.cache && this.d.cache) {
      // A question asked again at once must find the answer stored a moment ago.
      if (this.storing.size > 0) await this.idle();
      const found = await this.d.cache.lookup({
        messages: request.messages,
        modelKey: request.model,
        options: request.options,
        bypass: request.cache.optOut,
        skipLookup: request.cache.skipLookup,
        signal: request.signal,
      });
      if (found.hit) return { kind: 'cached', hit: found.hit };
      cacheRequest = found.request;
    }
    const route = await this.d.router.route({
      conversationId: request.conversationId ?? request.purpose,
      messages: request.messages,
      mode: modeFor(request.model),
      messageId: request.messageId,
      signal: request.signal,
      onEvent: request.onEvent,
      deltas: request.deltas,
      options: request.options,
      keepContext: request.keepContext,
      skipGates: request.skipGates,
      purpose: request.purpose,
      timeouts: request.timeouts,
      recordDecision: request.recordDecision,
      requiresTools: request.requiresTools,
    });
    const result = route.result;
    if (cacheRequest && result?.ok && !request.signal?.aborted && this.d.cache) {
      // Off the response path: the caller sends its answer first (setImmediate runs after this turn of
      // the event loop), then the cache writes it. ReplyCache.store never throws.
      const cache = this.d.cache;
      const pending = cacheRequest;
      const store = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => cache.store(pending, result))
        .finally(() => this.storing.delete(store));
      this.storing.add(store);
    }
    return { kind: 'routed', route };
  }
}
