import { randomUUID } from 'node:crypto';
import type { ModelInfo, Tier } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { AUTO_MODEL_ID, AUTO_SAFE_MODEL_ID, LOCAL_MODEL_ID, isRoutingMode, type AnswerPipeline } from '../answer';
import type { Logger } from '../logger';
import type { ProviderRegistry } from '../providers/registry';
import { tierOfUnknown, type CascadeEvent } from '../router';
import type { RouteInputs } from '../router';
import { estimateUsage, type ToolCall } from '../runner';
import type { CompletionRequest } from './completion-request';
import { ApiError, toApiError } from './openai-errors';

/** What the `x-switchboard-route` header says about a reply. */
export interface RouteSummary {
  tier: Tier;
  model: string;
  escalations: number;
  cached: 'exact' | 'semantic' | null;
  /** The reply did not pass the quality checks (it is the best text there was). */
  gatesFailed: boolean;
  /** The decision record (route_decisions.id); null for cache hits. */
  decisionId: string | null;
  /** The first gate the answer failed, when it did (a streamed auto answer reports it at the end). */
  failedGate?: { gate: string; reason: string } | null;
}

export interface CompletionResult {
  id: string;
  created: number;
  model: string;
  text: string;
  /** Tool calls the model asked for (issue #15); `finishReason` is then `tool_calls`. */
  toolCalls: ToolCall[];
  finishReason: 'stop' | 'length' | 'content_filter' | 'tool_calls';
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  route: RouteSummary;
}

export interface CompletionIo {
  signal: AbortSignal;
  /** The client streams: `switchboard/auto` then sends its first attempt as it is written (issue #17). */
  streaming?: boolean;
  /** Called once, before the first text: the route is known (the stream's headers go now). */
  onStart?(route: RouteSummary, head: { id: string; created: number }): void;
  onDelta?(text: string): void;
}

export interface ApiCompletionsDeps {
  pipeline: AnswerPipeline;
  inputs: RouteInputs;
  providers: ProviderRegistry;
  /** The model picker's list: installed local models and cloud models that can be called now. */
  listModels(): Promise<ModelInfo[]>;
  /** Settings' chat temperature, for requests that set none (so their answers can be cached). */
  defaultTemperature(): number;
  logger: Logger;
}

export function routeHeader(r: RouteSummary): string {
  const parts = [`tier=${r.tier}`, `model=${r.model}`, `escalations=${r.escalations}`, `cached=${r.cached ?? 'false'}`];
  if (r.gatesFailed) parts.push('gates=failed');
  if (r.decisionId) parts.push(`decision=${r.decisionId}`);
  return parts.join('; ');
}

/**
 * Chat Completions on Switchboard's services: `switchboard/auto` goes through the cache and the
 * router (analysis, budget, cascade with gates); `switchboard/local` stays on this machine; any
 * `provider/model` is called directly, still through the router's availability checks, the
 * reliability layer, the budget and the offline guard. Calls and decision records are written
 * with no message (API traffic is not a conversation), so the Dashboard counts them.
 */
export class ApiCompletions {
  private readonly started = Math.floor(Date.now() / 1000);
  /**
   * Which model asked for each tool call it returned (issue #15), so the next turn of that tool
   * conversation goes back to it under `switchboard/auto`. Kept in memory, the most recent 1000.
   */
  private readonly toolCallModels = new Map<string, string>();

  constructor(private readonly d: ApiCompletionsDeps) {}

  /** GET /v1/models: the routing modes, then every model that can answer now. */
  async models(): Promise<Array<{ id: string; object: 'model'; created: number; owned_by: string }>> {
    const ids = [AUTO_MODEL_ID, LOCAL_MODEL_ID, AUTO_SAFE_MODEL_ID, ...(await this.d.listModels()).map((m) => m.id)];
    return [...new Set(ids)].map((id) => ({ id, object: 'model', created: this.started, owned_by: id.slice(0, id.indexOf('/')) }));
  }

  async complete(request: CompletionRequest, io: CompletionIo): Promise<CompletionResult> {
    // Unset, a provider samples at its default (0.8–1.0): one draw among many, never cached.
    const req = { ...request, options: { ...request.options, temperature: request.options.temperature ?? this.d.defaultTemperature() } };
    const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
    const created = Math.floor(Date.now() / 1000);
    // The 404s of the OpenAI API need the installed models and keys as they are now.
    await this.d.inputs.refresh();
    this.checkModel(req.model);
    const usesTools = !!req.options.tools?.length || req.messages.some((m) => m.role === 'tool' || !!m.toolCalls?.length);
    const usesImages = req.messages.some((m) => !!m.images?.length);
    if (usesTools || usesImages) await this.d.inputs.loadCapabilities(AbortSignal.any([io.signal, AbortSignal.timeout(5_000)])); // a host that hangs must not hold the request
    // A chosen model that cannot take what the request carries is the client's to change: a 400, before any call.
    if (!isRoutingMode(req.model) && req.options.tools?.length && !this.d.inputs.supportsTools(req.model)) {
      throw ApiError.invalid(`The model \`${req.model}\` cannot call tools (its /api/show does not list "tools"). Choose a tool-capable model, or switchboard/auto to let Switchboard pick one.`, 'tools');
    }
    if (!isRoutingMode(req.model) && usesImages && !this.d.inputs.supportsVision(req.model)) {
      throw ApiError.invalid(`The model \`${req.model}\` cannot see images. Choose a vision model, or switchboard/auto to let Switchboard pick one.`, 'messages');
    }
    req.model = this.toolConversationModel(req) ?? req.model;

    // A chosen model is one attempt, streamed as it comes. A routed reply may escalate: streamed on
    // switchboard/auto, its first attempt goes out once its opening passed the early gates (not
    // empty, not a refusal) and then stands; switchboard/auto-safe, JSON requests (only a whole
    // reply can be checked) and non-streaming requests get only an answer that passed every gate.
    const live = !isRoutingMode(req.model);
    const early = io.streaming === true && req.model !== AUTO_SAFE_MODEL_ID && req.options.jsonSchema === undefined;
    let attempt: { model: string; tier: Tier; n: number } | null = null;
    let started = false;
    const start = (gatesFailed = false): void => {
      if (started || !attempt) return;
      started = true;
      io.onStart?.({ tier: attempt.tier, model: attempt.model, escalations: attempt.n - 1, cached: null, gatesFailed, decisionId: null }, { id, created });
    };
    const onEvent = (event: CascadeEvent): void => {
      if (event.type === 'attempt-start') attempt = { model: event.model, tier: event.tier, n: event.attempt };
      else if (event.type === 'delta') {
        start();
        io.onDelta?.(event.text);
      }
    };
    const answered = await this.d.pipeline.answer({
      purpose: 'api',
      model: req.model,
      conversationId: 'api',
      messages: req.messages.map((m, i) => ({ ...m, id: `api-${i}` })),
      signal: io.signal,
      onEvent,
      deltas: live ? 'live' : early ? 'stream' : 'kept',
      options: req.options,
      keepContext: true,
      // A reply cut at the client's own max_tokens is what it asked for (finish_reason "length").
      skipGates: req.options.maxTokens !== undefined ? ['truncated'] : undefined,
      // A reply to a tool conversation depends on the tools' live results: never cached.
      // Nor one about images (the cache key is the text alone).
      cache: usesTools || usesImages ? undefined : {},
      requiresTools: !!req.options.tools?.length,
      requiresVision: usesImages,
    });
    if (answered.kind === 'cached') {
      const { hit } = answered;
      const route: RouteSummary = { tier: this.tierOf(hit.model), model: hit.model, escalations: 0, cached: hit.kind, gatesFailed: false, decisionId: null };
      io.onStart?.(route, { id, created });
      io.onDelta?.(hit.text);
      return { id, created, model: hit.model, text: hit.text, toolCalls: [], finishReason: 'stop', usage: usageOf(estimateUsage(req.messages, hit.text)), route };
    }
    const outcome = answered.route;
    if (io.signal.aborted) throw new SwitchboardError('cancelled', 'The client closed the connection.');
    const result = outcome.result;
    const kept = result?.kept;
    // Nothing to give: a refusal (budget, offline, no model) or every attempt failed outright.
    const toolCalls = result?.toolCalls ?? [];
    if (!result || !result.model || !kept || kept.error || (result.text === '' && toolCalls.length === 0)) {
      throw toApiError(outcome.error ?? new SwitchboardError('unavailable', 'No model produced a reply.'));
    }
    const route: RouteSummary = {
      tier: kept.tier,
      model: result.model,
      escalations: result.escalations,
      cached: null,
      gatesFailed: !result.ok,
      decisionId: outcome.record.id,
      failedGate: failedGateOf(kept),
    };
    if (!started) {
      // Kept mode with no passing attempt: the best text there was, marked in the header.
      attempt = { model: route.model, tier: route.tier, n: route.escalations + 1 };
      start(!result.ok);
      if (result.text) io.onDelta?.(result.text);
    }
    for (const call of toolCalls) this.rememberToolCall(call.id, result.model);
    return {
      id,
      created,
      model: result.model,
      text: result.text,
      toolCalls,
      finishReason: toolCalls.length ? 'tool_calls' : kept.finishReason === 'length' ? 'length' : kept.finishReason === 'content-filter' ? 'content_filter' : 'stop',
      usage: usageOf(kept.usage ?? estimateUsage(req.messages, result.text)),
      route,
    };
  }

  /** 404 for a model Switchboard does not know; the words that fix it for a local one not pulled. */
  private checkModel(model: string): void {
    if (isRoutingMode(model)) return;
    if (model.startsWith('switchboard/')) throw ApiError.modelNotFound(model);
    try {
      this.d.providers.resolve(model);
    } catch (error) {
      if (error instanceof SwitchboardError && error.code === 'invalid_input') throw ApiError.modelNotFound(model);
      throw toApiError(error);
    }
    const problem = this.d.inputs.localProblem(model);
    if (problem) throw problem.code === 'model_not_found' ? ApiError.modelNotFound(model, problem.message) : toApiError(problem);
    if (!this.d.inputs.model(model)) throw ApiError.modelNotFound(model);
  }

  /**
   * `switchboard/auto` in the middle of a tool conversation: the model that asked for the latest
   * tool calls in the history, while it can still be called, so one model sees the whole exchange.
   */
  private toolConversationModel(req: CompletionRequest): string | null {
    if (req.model !== AUTO_MODEL_ID) return null;
    for (let i = req.messages.length - 1; i >= 0; i--) {
      for (const call of req.messages[i]?.toolCalls ?? []) {
        const model = this.toolCallModels.get(call.id);
        if (model && this.d.inputs.model(model)) return model;
      }
    }
    return null;
  }

  private rememberToolCall(id: string, model: string): void {
    this.toolCallModels.set(id, model);
    if (this.toolCallModels.size > 1000) this.toolCallModels.delete(this.toolCallModels.keys().next().value as string);
  }

  private tierOf(model: string): Tier {
    return this.d.inputs.model(model)?.tier ?? tierOfUnknown(model);
  }
}

function failedGateOf(attempt: { gates: Array<{ gate: string; passed: boolean; reason: string }> }): RouteSummary['failedGate'] {
  const failed = attempt.gates.find((g) => !g.passed);
  return failed ? { gate: failed.gate, reason: failed.reason } : null;
}

function usageOf(u: { inputTokens: number; outputTokens: number }): CompletionResult['usage'] {
  return { prompt_tokens: u.inputTokens, completion_tokens: u.outputTokens, total_tokens: u.inputTokens + u.outputTokens };
}
