import type { TierFloor } from './difficulty/start-tier';
import type { Tier } from '../../shared/contract';
import { isOllamaProvider, providerOf, tierOfProvider } from '../../shared/model-id';
import type { RouterConfig } from './config';
import { LOCAL_REPLY_BUDGET, planNumCtx, tooLongReason } from './local-context';
import type { BudgetStatus, Complexity, ComposerMode, Intent, RoutableModel, RouteCandidate } from './types';

/**
 * Everything the policy asks the rest of the app, as small injected functions: the catalog and the
 * installed local models, the keychain, the reliability layer's breakers and rate-limit tracker,
 * offline mode and the budget. Each answer is read synchronously: `decide` stays pure and fast.
 */
export interface RouteContext {
  config: RouterConfig;
  /** Default `auto`. */
  mode?: ComposerMode;
  /** Known models: the catalog's entries (which satisfy RoutableModel) and the installed local ones. */
  model(id: string): RoutableModel | undefined;
  /** Installed local model ids, best first: the `local` rung falls back to them. */
  installedLocal: readonly string[];
  /** Whether a key is stored for the provider (`groq`, `openrouter` …). Not asked for local models. */
  hasKey(provider: string): boolean;
  offline: boolean;
  budget: BudgetStatus;
  /**
   * The output cap sent upstream (a client's max_tokens, else `config.replyTokens.max`): the worst
   * case the budget reserves. Default `config.replyTokens.max`.
   */
  replyCapTokens?: number;
  /**
   * Installed local models best first for the request's intent, by role (local-roles.ts, issue #13),
   * and what to tell the user when none has the role. Without it: the configured rung, then Ollama's order.
   */
  localOrder?(intent: Intent): { ids: string[]; note: string | null };
  /** The request carries tools (issue #15): a model that cannot call them is not a candidate. */
  requiresTools?: boolean;
  /** Whether a model can call tools (Ollama: /api/show lists "tools"; cloud models: yes). */
  supportsTools?(modelId: string): boolean;
  /** The request carries images (issue #15): a model that cannot see them is not a candidate. */
  requiresVision?: boolean;
  /** Whether a model takes images (Ollama: /api/show lists "vision"; the catalog's `vision`). */
  supportsVision?(modelId: string): boolean;
  /** A catalog model its provider's live list no longer names (issue #15). */
  isRetired?(modelId: string): boolean;
  /** The reliability layer's circuit breakers (`HealthRegistry.breaker(id).state() === 'open'`). */
  health?: { isOpen(modelId: string): boolean };
  /** The reliability layer's rate-limit tracker (free-tier quota and 429 waits). */
  rateLimits?: { isNearlyExhausted(modelOrProvider: string, tokensNeeded?: number): boolean };
  /** Issue #11: the lowest tier to start on (the previous turn's tier, or what similar requests needed). */
  startFloor?: TierFloor;
}

export interface Needs {
  contextTokens: number;
  replyTokens: number;
  complexity: Complexity;
}

/** Tier of a model id the catalog does not know, by its provider (shared/model-id.ts holds the rule). */
export function tierOfUnknown(modelId: string): Tier {
  return tierOfProvider(providerOf(modelId));
}

/** USD for one answer: cloud prices per 1M tokens; local and free-tier models cost nothing (runner/cost.ts). */
export function answerCostUsd(model: RoutableModel | undefined, inputTokens: number, outputTokens: number): number {
  if (!model || model.tier !== 'paid') return 0;
  return (inputTokens * model.price.input + outputTokens * model.price.output) / 1_000_000;
}

/** One candidate with the first reason (if any) that rules it out, in words the user can act on. */
export function checkCandidate(modelId: string, rung: string, ctx: RouteContext, needs: Needs): RouteCandidate {
  const model = ctx.model(modelId);
  const provider = providerOf(modelId);
  const tier: Tier = model?.tier ?? tierOfProvider(provider);
  const estimatedCostUsd = answerCostUsd(model, needs.contextTokens, needs.replyTokens);
  const out = (eligible: boolean, reason: string): RouteCandidate => ({ model: modelId, tier, rung, eligible, reason, estimatedCostUsd });
  const mode = ctx.mode ?? 'auto';

  if (mode === 'local-only' && tier !== 'local') return out(false, 'local-only mode: only models on this machine');
  if (ctx.offline && tier !== 'local') return out(false, 'offline mode: only local models');
  if (ctx.budget.level === 'stopped' && tier !== 'local') return out(false, `${ctx.budget.message} Only local models run until the budget resets or is raised.`);
  if (tier === 'local' && isOllamaProvider(provider)) {
    if (!ctx.installedLocal.includes(modelId)) return out(false, `not installed (ollama pull ${modelId.slice(provider.length + 1)})`);
  } else if (!ctx.hasKey(provider)) {
    return out(false, `no API key for ${provider} (add one in Settings → API keys)`);
  }
  if (ctx.requiresTools && ctx.supportsTools && !ctx.supportsTools(modelId)) return out(false, 'cannot call tools, and this request carries tools');
  if (ctx.requiresVision && ctx.supportsVision && !ctx.supportsVision(modelId)) return out(false, 'cannot see images, and this request carries images');
  if (!model && ctx.isRetired?.(modelId)) return out(false, `retired: ${provider} no longer lists it (Settings → Providers → Refresh reads its list again)`);
  if (!model) return out(false, 'not in the model catalog (unknown context window and price)');
  const needed = needs.contextTokens + needs.replyTokens;
  // Issue #13: a local model's window is what /api/show and the GPU allow; say which one binds.
  const local = model.localWindow ? planNumCtx(needs.contextTokens + Math.max(needs.replyTokens, LOCAL_REPLY_BUDGET), model.localWindow) : null;
  if (local && model.contextWindow < needed) {
    return { ...out(false, tooLongReason(modelId.slice(provider.length + 1), { ...local, needed })), contextTokens: local.numCtx };
  }
  if (model.contextWindow < needed) {
    return out(false, `context ~${fmtTokens(needed)} tokens does not fit its ${fmtTokens(model.contextWindow)} window`);
  }
  if (ctx.health?.isOpen(modelId)) return out(false, 'circuit breaker open after repeated failures (retried after the cooldown)');
  if (tier !== 'local' && ctx.rateLimits?.isNearlyExhausted(modelId, needed)) {
    return out(false, tier === 'free' ? 'free-tier quota nearly used up (skipped until it resets)' : 'rate limit nearly reached (skipped until it resets)');
  }
  if (ctx.budget.level === 'over-budget' && tier === 'paid') return out(true, 'over the daily budget: tried after local and free models');
  // The context it would run with goes beside the reason ("Why this model?" shows it).
  if (local) return { ...out(true, 'runs on this machine'), contextTokens: local.numCtx };
  return out(true, tier === 'paid' ? `~$${estimatedCostUsd.toFixed(4)} expected` : tier === 'free' ? 'free tier' : 'runs on this machine');
}

function fmtTokens(n: number): string {
  if (n < 10_000) return String(n);
  // Windows are powers of two (32,768 = "32K"); token estimates are not.
  return n % 1024 === 0 ? `${n / 1024}K` : `${Math.round(n / 1000)}K`;
}

/**
 * Seed 002: "Speed: Local models respond in 10-200ms", Groq is the fast free cloud; then models
 * whose catalog strengths say fast, then the rest.
 */
export function speedRank(model: RoutableModel | undefined, tier: Tier): number {
  if (tier === 'local') return 0;
  if (model?.provider === 'groq') return 1;
  if (model?.strengths.some((s) => /fast|quick/i.test(s))) return 2;
  return 3;
}
