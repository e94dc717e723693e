import { isAbortError } from '../../shared/errors';
import { parseModelId } from '../../shared/model-id';
import type { CacheHit, CacheRequest, CacheService, LocalModelSync } from '../cache';
import type { Logger } from '../logger';
import type { ChatMessage, ChatOptions } from '../runner';
import { analyse, type CascadeResult } from '../router';

/** What identifies a routed reply: the same for the lookup before routing and the store after it. */
export interface ReplyKey {
  messages: readonly ChatMessage[];
  /** The model id the caller chose, or the mode (`switchboard/auto`, `switchboard/local`). */
  modelKey: string;
  options?: ChatOptions;
  /** The conversation opted out: nothing is looked up or stored. */
  bypass?: boolean;
  /** "Ask again without cache": no lookup, but the fresh answer is stored (it replaces the old one). */
  skipLookup?: boolean;
  signal?: AbortSignal;
}

export interface ReplyLookup {
  hit: CacheHit | null;
  reason: string;
  /** Pass back to store() after routing: the key the lookup used. */
  request: CacheRequest;
}

/** Providers that ignore `temperature` today (the Anthropic provider does not send it). */
const IGNORES_TEMPERATURE = new Set(['anthropic']);

/**
 * The response cache around the router, for chat and the OpenAI-compatible endpoint: look up before
 * routing (keyed by messages, model or mode, output parameters and the analyser's intent), store
 * after a routed reply that passed the gates. A cache that fails is logged and treated as a miss:
 * it never costs the user an answer.
 */
export class ReplyCache {
  constructor(
    private readonly deps: { cache: CacheService; sync: LocalModelSync; logger: Logger },
  ) {}

  get service(): CacheService {
    return this.deps.cache;
  }

  async lookup(key: ReplyKey): Promise<ReplyLookup> {
    const request = this.requestOf(key);
    if (!this.deps.cache.settings.enabled) return { hit: null, reason: 'the cache is off in settings', request };
    await this.deps.sync.refresh();
    if (key.skipLookup) return { hit: null, reason: 'asked again without the cache', request };
    try {
      const result = await this.deps.cache.lookup(request);
      return { ...result, request };
    } catch (error) {
      if (isAbortError(error)) throw error;
      this.deps.logger.warn('cache lookup failed; calling the model', { error });
      return { hit: null, reason: 'the cache lookup failed', request };
    }
  }

  /** Stores a routed reply when it can be reused; never throws. */
  async store(request: CacheRequest, result: CascadeResult): Promise<void> {
    if (!result.ok || !result.model || !this.deps.cache.settings.enabled) return;
    try {
      const stored = await this.deps.cache.store({
        ...request,
        signal: undefined,
        text: result.text,
        model: result.model,
        modelDigest: this.deps.sync.digestOf(result.model),
        usage: result.kept?.usage ?? undefined,
        costUsd: result.costUsd,
        gatesPassed: true,
        temperature: IGNORES_TEMPERATURE.has(providerOf(result.model)) ? null : undefined,
        outcome: 'complete',
      });
      this.deps.logger.debug('cache store', { stored: stored.stored, reason: stored.reason });
    } catch (error) {
      this.deps.logger.warn('a reply could not be cached', { error });
    }
  }

  private requestOf(key: ReplyKey): CacheRequest {
    const o = key.options ?? {};
    return {
      messages: key.messages.map((m) => ({ role: m.role, content: m.content })),
      modelKey: key.modelKey,
      params: { temperature: o.temperature, maxTokens: o.maxTokens, stop: o.stop, jsonSchema: o.jsonSchema },
      // The heuristic analyser (microseconds): semantic hits never cross task types.
      intent: analyse(key.messages).intent,
      bypass: key.bypass,
      signal: key.signal,
    };
  }
}

function providerOf(modelId: string): string {
  try {
    return parseModelId(modelId).provider;
  } catch {
    return '';
  }
}
