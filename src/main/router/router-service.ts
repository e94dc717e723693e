import type { CallPurpose, Tier } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { estimatePromptTokens, type ChatMessage, type ChatOptions, type ModelRunner, type RunTimeouts } from '../runner';
import { analyse, fastPromptTokens } from './analyse';
import { analyseWithRouterModel } from './analyse-with-model';
import type { RouteContext } from './availability';
import type { BudgetLedger, Reservation } from './budget-ledger';
import { runCascade, type CascadeEvent, type CascadeResult } from './cascade';
import type { RouterConfig } from './config';
import type { ContextBudget, ConversationMessage, PreparedContext } from './context-budget';
import { decisionRecordFrom, type DecisionRecord, type DecisionRecorder } from './decision-recorder';
import { followUpFloor, higherTier, tierRank, withDifficulty, type DifficultyEstimator, type TierFloor } from './difficulty';
import { isResend, nextTier, type OutcomeMemory, type RequestVector } from './difficulty/outcome-memory';
import { decide } from './policy';
import { LOCAL_REPLY_BUDGET, formatTokens } from './local-context';
import { defaultGates } from './quality-gates';
import type { ComposerMode, RequestAnalysis, RoutableModel, RouteDecision } from './types';
import { validatorGate } from './validator-gate';

export interface RouterServiceOptions {
  /** Read per request, so a change in Settings applies to the next one. */
  config: () => RouterConfig;
  runner: ModelRunner;
  /** The catalog's entries and the installed local models. */
  model: (id: string) => RoutableModel | undefined;
  installedLocal: () => readonly string[];
  hasKey: (provider: string) => boolean;
  isOffline: () => boolean;
  ledger: BudgetLedger;
  recorder?: DecisionRecorder;
  /** Without it the conversation is sent whole. */
  contextBudget?: ContextBudget;
  health?: RouteContext['health'];
  rateLimits?: RouteContext['rateLimits'];
  isRetired?: RouteContext['isRetired'];
  supportsTools?: RouteContext['supportsTools'];
  supportsVision?: RouteContext['supportsVision'];
  /**
   * Brings the inputs above up to date (installed models, keys); cheap when fresh. The router calls
   * it itself before every decision, so no caller has to remember to.
   */
  refreshInputs?: () => Promise<void>;
  /** Why a chosen local model cannot run, in the words that fix it (Ollama down, not pulled), or null. */
  localProblem?: (modelId: string) => SwitchboardError | null;
  /** Installed local models best first for an intent's role (issue #13); without it, Ollama's order. */
  localOrder?: RouteContext['localOrder'];
  /** Runs the end-of-request writes (settlement, decision record) in one transaction. Default: as they come. */
  atomically?: (fn: () => void) => void;
  /** Issue #11: the difficulty estimator (per-tier chance of answering well). Without it, seed 002's length rules decide. */
  difficulty?: DifficultyEstimator;
  /** Issue #11: the tier and difficulty of the conversation's previous answered turn. */
  previousTurn?: (conversationId: string) => { tier: Tier; difficulty?: number } | null;
  /** Issue #11: what the user's outcomes taught (escalations are recorded here; similar requests start higher). */
  outcomes?: Pick<OutcomeMemory, 'record' | 'floorFor'> & Partial<Pick<OutcomeMemory, 'vectorFor'>>;
}

export interface RouteRequest {
  conversationId: string;
  messages: readonly ConversationMessage[];
  mode?: ComposerMode;
  /** The assistant message this reply fills (calls and decision records point at it). */
  messageId?: string;
  signal?: AbortSignal;
  onEvent?: (event: CascadeEvent) => void;
  deltas?: 'live' | 'kept' | 'stream';
  options?: ChatOptions;
  /**
   * The OpenAI-compatible endpoint: the client sent the context it wants (no summarising), and a
   * reply cut at the client's own max_tokens is what it asked for (`skipGates: ['truncated']`).
   */
  keepContext?: boolean;
  skipGates?: readonly string[];
  /** What the call is for (the call log and the budget reservation). Default `chat`. */
  purpose?: CallPurpose;
  /** Timeout pool and bound per attempt (council members and task nodes). */
  timeouts?: RunTimeouts;
  /**
   * Write a decision record ("Why this model?"). Default yes; council and task-graph calls keep
   * their own records (council_runs, task_graphs) and would only crowd the routing history.
   */
  recordDecision?: boolean;
  /** The request carries tools (issue #15): only models that can call them are candidates. */
  requiresTools?: boolean;
  /** The request carries images (issue #15): only vision models are candidates. */
  requiresVision?: boolean;
}

export interface RouteOutcome {
  decision: RouteDecision;
  /** Null when nothing could answer (`error` says why). */
  result: CascadeResult | null;
  context: PreparedContext | null;
  record: DecisionRecord;
  error: SwitchboardError | null;
}

/**
 * The router in one call, for the chat service: context budget → analysis (heuristic, the local
 * router model when unsure) → decision → budget reservation → cascade → settlement → record.
 * Never throws for a routing outcome: refusals and failures come back in `error`.
 */
export class RouterService {
  constructor(private readonly options: RouterServiceOptions) {}

  /**
   * The decision alone (heuristic only), for "which model would answer, and why" before sending,
   * on inputs brought up to date first.
   */
  async preview(messages: readonly ChatMessage[], mode: ComposerMode = 'auto', options: { maxTokens?: number; conversationId?: string; signal?: AbortSignal } = {}): Promise<RouteDecision> {
    await this.options.refreshInputs?.();
    // Issue #11, one decision path: the same analysis (router model included) and floors as `route`.
    const analysis = await this.analyse(messages, mode, options.signal);
    const embedded = await this.requestVector(messages, mode, options.signal);
    return decide(analysis, this.context(mode, options.maxTokens, undefined, this.floor(analysis, messages, mode, options.conversationId, embedded)));
  }

  /**
   * A quick estimate on the inputs as they are (no refresh, heuristic analysis, no local model call):
   * for a burst of estimates (task graphs) right after one `preview`.
   */
  previewCached(messages: readonly ChatMessage[], mode: ComposerMode = 'auto', options: { maxTokens?: number } = {}): RouteDecision {
    const analysis = this.heuristic(messages);
    return decide(analysis, this.context(mode, options.maxTokens, undefined, this.floor(analysis, messages, mode)));
  }

  /** The heuristic analysis with the difficulty estimate (when on): no model call. */
  private heuristic(messages: readonly ChatMessage[]): RequestAnalysis {
    return this.options.difficulty ? withDifficulty(analyse(messages), messages, this.options.difficulty) : analyse(messages);
  }

  /** The analysis every decision starts from: heuristic, the local router model when unsure, then the difficulty estimate. */
  private async analyse(messages: readonly ChatMessage[], mode: ComposerMode, signal?: AbortSignal): Promise<RequestAnalysis> {
    const config = this.options.config();
    const router = config.localModels.router;
    // The router model only helps when the router is choosing: a model the user picked needs no
    // classifier call (the heuristic still labels the request for the record and the cache).
    const choosing = typeof mode !== 'object';
    const analysis = await analyseWithRouterModel(messages, {
      runner: this.options.runner,
      model: choosing && this.options.installedLocal().includes(router) ? router : null,
      belowConfidence: config.analyser.routerModelBelowConfidence,
      timeoutMs: config.analyser.routerModelTimeoutMs,
      signal,
    });
    return this.options.difficulty ? withDifficulty(analysis, messages, this.options.difficulty) : analysis;
  }

  /** The lowest tier to start on: the previous turn's (unless clearly simpler) and what similar requests needed. */
  private floor(analysis: RequestAnalysis, messages: readonly ChatMessage[], mode: ComposerMode, conversationId?: string, embedded?: RequestVector | null): TierFloor | undefined {
    if (mode !== 'auto') return undefined;
    const difficulty = this.options.config().difficulty;
    // The follow-up floor needs the estimator's difficulty ("clearly simpler"); what similar requests
    // needed is learnt from the user's own outcomes and applies whether or not the estimator is on.
    const previous = difficulty?.enabled && conversationId ? (this.options.previousTurn?.(conversationId) ?? null) : null;
    const turn = followUpFloor(previous, { difficulty: analysis.difficulty, smallTalk: analysis.intent === 'chat' && analysis.complexity === 'trivial' });
    const learned = difficulty?.learnFromOutcomes ? (this.options.outcomes?.floorFor(lastUser(messages), embedded) ?? null) : null;
    if (turn && learned) return higherTier(turn.tier, learned.tier) === learned.tier && learned.tier !== turn.tier ? learned : turn;
    return turn ?? learned ?? undefined;
  }

  /**
   * The request's embedding for the learnt floor (issue #11, item 3), only when Auto is choosing,
   * learning is on, and an installed embedding model has embedded earlier outcomes.
   */
  private async requestVector(messages: readonly ChatMessage[], mode: ComposerMode, signal?: AbortSignal): Promise<RequestVector | null> {
    if (mode !== 'auto' || !this.options.config().difficulty?.learnFromOutcomes || !this.options.outcomes?.vectorFor) return null;
    return this.options.outcomes.vectorFor(lastUser(messages), signal);
  }

  async route(request: RouteRequest): Promise<RouteOutcome> {
    await this.options.refreshInputs?.();
    const config = this.options.config();
    const mode = request.mode ?? 'auto';
    if (typeof mode === 'object') {
      const problem = this.options.localProblem?.(mode.model);
      if (problem) throw problem;
    }
    // Issue #10: the output cap reserved is the cap a paid attempt sends upstream (max_tokens), so its
    // output can never cost more than was reserved; a client's own max_tokens is honoured and counted.
    // Local and free attempts cost nothing and are not cut short (a long local answer is not truncated).
    const replyCap = request.options?.maxTokens ?? config.replyTokens.max;
    const purpose = request.purpose ?? 'chat';
    const context = this.options.contextBudget && !request.keepContext ? await this.options.contextBudget.prepare(request) : null;
    // The message as the model sees it: role and text, a tool turn's calls or the call it answers, a user's images (issue #15).
    const messages = context?.messages ?? request.messages.map(({ role, content, toolCalls, toolCallId, images }) => ({
      role,
      content,
      ...(toolCalls ? { toolCalls } : {}),
      ...(toolCallId ? { toolCallId } : {}),
      ...(images ? { images } : {}),
    }));
    this.learnFromResend(request, mode);
    const analysis = await this.analyse(messages, mode, request.signal);
    const floor = this.floor(analysis, messages, mode, request.conversationId, await this.requestVector(messages, mode, request.signal));

    let decision = decide(analysis, this.context(mode, replyCap, request, floor));
    let prepared = context;
    // Issue #13: too long for every model that may answer, but a local one could take it summarised.
    const summarised = await this.summariseForLocal(decision, request, mode, replyCap, floor);
    if (summarised) ({ decision, context: prepared } = summarised);
    let reservation: Reservation | null = null;
    if (decision.model !== null) {
      const held = this.options.ledger.reserve(decision.maxCostUsd, purpose);
      if (held.ok) reservation = held;
      else {
        // The worst case does not fit under the stop threshold: local models only, with that reason.
        decision = decide(analysis, { ...this.context(mode, replyCap, request, floor), budget: { level: 'stopped', message: held.error.message } });
        const free = this.options.ledger.reserve(0); // local models cost nothing: always granted
        if (decision.model !== null && free.ok) reservation = free;
      }
    }
    if (decision.model === null || reservation === null) {
      const refusal = decision.refusal ?? { code: 'unavailable' as const, message: 'No model can take this request right now.' };
      const record = this.record(decisionRecordFrom(decision, null, { messageId: request.messageId }), request);
      return { decision, result: null, context: prepared, record, error: new SwitchboardError(refusal.code, refusal.message, { retryable: false }) };
    }

    const gates = defaultGates().filter((g) => !request.skipGates?.includes(g.name));
    if (config.validation.useValidatorModel && this.options.installedLocal().includes(config.localModels.validator)) {
      gates.push(validatorGate({ runner: this.options.runner, model: config.localModels.validator, threshold: config.validation.threshold }));
    }
    let result: CascadeResult;
    try {
      result = await runCascade({
        decision,
        messages: prepared?.messages ?? messages,
        runner: this.options.runner,
        gates,
        maxEscalations: config.validation.maxEscalations,
        signal: request.signal,
        onEvent: request.onEvent,
        deltas: request.deltas,
        options: request.options,
        paidReplyCap: replyCap,
        messageId: request.messageId,
        model: this.options.model,
        purpose,
        timeouts: request.timeouts,
      });
    } catch (error) {
      this.options.ledger.release(reservation);
      throw error;
    }
    const record = decisionRecordFrom(decision, result, { messageId: request.messageId });
    const held = reservation;
    (this.options.atomically ?? ((fn: () => void) => fn()))(() => {
      this.options.ledger.settle(held, result.costUsd);
      this.record(record, request);
      this.learn(result, messages, mode, request);
    });
    const error = result.ok ? null : new SwitchboardError(result.failure?.code ?? 'unavailable', result.failure?.message ?? 'No answer passed the quality checks.', { retryable: false });
    return { decision, result, context: prepared, record, error };
  }

  /**
   * When the refusal is the context's length and a local model of the decision has a window of its
   * own (`localWindow`), the conversation is summarised down to that window (less the reply budget)
   * and decided again; null when that does not help (nothing local, or the newest turns alone are too long).
   */
  private async summariseForLocal(decision: RouteDecision, request: RouteRequest, mode: ComposerMode, replyCap: number, floor?: TierFloor): Promise<{ decision: RouteDecision; context: PreparedContext } | null> {
    if (decision.refusal?.code !== 'context_too_long' || !this.options.contextBudget || request.keepContext) return null;
    const local = decision.candidates
      .map((c) => ({ id: c.model, window: this.options.model(c.model)?.localWindow ? this.options.model(c.model)!.contextWindow : 0 }))
      .filter((c) => c.window > LOCAL_REPLY_BUDGET * 2)
      .sort((a, b) => b.window - a.window)[0];
    if (!local) return null;
    // The budget counts tokens its own way (estimatePromptTokens); the policy by characters
    // (fastPromptTokens, more cautious): the target is scaled to the budget's count, and lowered
    // once more if the policy still finds it too long.
    const all = request.messages.map((m) => ({ role: m.role, content: m.content }));
    const scale = estimatePromptTokens(all) / Math.max(1, fastPromptTokens(all));
    let target = Math.floor((local.window - LOCAL_REPLY_BUDGET) * scale);
    for (let round = 0; round < 2; round++) {
      const context = await this.options.contextBudget.prepare({ ...request, targetTokens: target });
      if (!context.summarised && context.dropped === 0) return null;
      // Re-decided on the summarised conversation with the same estimate as the first decision.
      const again = decide(this.heuristic(context.messages), this.context(mode, replyCap, request, floor));
      if (again.model === null) {
        target = Math.floor(target * 0.8);
        continue;
      }
      return { decision: this.withSummaryReason(again, context, local), context };
    }
    return null;
  }

  private withSummaryReason(again: RouteDecision, context: PreparedContext, local: { id: string; window: number }): RouteDecision {
    again.reasons.unshift(
      context.summarised
        ? `The conversation (~${formatTokens(context.tokensBefore)} tokens) was longer than any model here could take, so its earlier turns were summarised to ~${formatTokens(context.tokensAfter)} for ${local.id} (it keeps ${formatTokens(local.window)}).`
        : `The conversation was too long and could not be summarised (${context.error?.message ?? 'no summary'}): its oldest turns were left out to fit ${local.id}.`,
    );
    return again;
  }

  private context(mode: ComposerMode, replyCapTokens?: number, needs?: Pick<RouteRequest, 'requiresTools' | 'requiresVision'>, startFloor?: TierFloor): RouteContext {
    return {
      ...(startFloor ? { startFloor } : {}),
      requiresTools: needs?.requiresTools,
      supportsTools: this.options.supportsTools,
      requiresVision: needs?.requiresVision,
      supportsVision: this.options.supportsVision,
      config: this.options.config(),
      mode,
      replyCapTokens,
      model: this.options.model,
      installedLocal: this.options.installedLocal(),
      hasKey: this.options.hasKey,
      offline: this.options.isOffline(),
      budget: this.options.ledger.state(),
      health: this.options.health,
      rateLimits: this.options.rateLimits,
      localOrder: this.options.localOrder,
      isRetired: this.options.isRetired,
    };
  }

  /**
   * Issue #11: a reply that failed a gate and passed on a higher tier is a label: similar requests
   * start there. Errors (a provider down) say nothing about difficulty and are not learnt.
   */
  private learn(result: CascadeResult, messages: readonly ChatMessage[], mode: ComposerMode, request: RouteRequest): void {
    if (!this.options.outcomes || mode !== 'auto' || !result.ok || request.recordDecision === false) return;
    const first = result.attempts[0];
    const kept = result.kept;
    if (!first || !kept || first.error !== null || tierRank(kept.tier) <= tierRank(first.tier)) return;
    const validator = first.gates.some((g) => g.gate === 'validator' && !g.passed);
    this.options.outcomes.record({
      kind: validator ? 'validation_failed' : 'escalated',
      fromTier: first.tier,
      toTier: kept.tier,
      request: lastUser(messages),
      ...(request.messageId ? { messageId: request.messageId } : {}),
    });
  }

  /**
   * Issue #11: the user sends nearly the same request again right after a routed reply (an edit and
   * resend): that reply fell short, so its request is a label for the next tier up.
   */
  private learnFromResend(request: RouteRequest, mode: ComposerMode): void {
    if (!this.options.outcomes || mode !== 'auto' || request.recordDecision === false || !this.options.config().difficulty?.learnFromOutcomes) return;
    const users = request.messages.filter((m) => m.role === 'user');
    const current = users.at(-1);
    const previous = users.at(-2);
    if (!current || !previous || !isResend(previous.content, current.content)) return;
    const last = this.options.previousTurn?.(request.conversationId);
    if (!last || last.tier === 'paid') return;
    this.options.outcomes.record({ kind: 'edited', fromTier: last.tier, toTier: nextTier(last.tier), request: previous.content });
  }

  private record(record: DecisionRecord, request: RouteRequest): DecisionRecord {
    if (request.recordDecision !== false) this.options.recorder?.record(record);
    return record;
  }
}

function lastUser(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i -= 1) if (messages[i]?.role === 'user') return messages[i]?.content ?? '';
  return '';
}
