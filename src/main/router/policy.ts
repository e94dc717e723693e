import type { Tier } from '../../shared/contract';
import type { ErrorCode } from '../../shared/errors';
import { answerCostUsd, checkCandidate, speedRank, tierOfUnknown, type Needs, type RouteContext } from './availability';
import type { TaskKey } from './config';
import { cheapestTierClearing, higherTier, tierRank, type TierFloor } from './difficulty/start-tier';
import type { RequestAnalysis, RouteCandidate, RouteDecision, RouteRefusal } from './types';

export type { RouteContext } from './availability';

/** Tokens the cascade's escalation note adds to a retry (a sentence or two). */
const ESCALATION_NOTE_TOKENS = 80;
const LOCAL_RUNG = 'local';

/**
 * Picks the tier and model for a request and the escalation chain behind it (seed 002 Phase 2):
 *  - the task type's rungs from `config.tiers` (critical quality → `tiers.critical`, i.e. Sonnet);
 *  - complexity: Trivial → local first, Complex → no local rung (seed 002 "Trivial → Local, Complex → Premium");
 *  - context above `longContext.thresholdTokens` → the long-context model first;
 *  - every model checked for availability, with a reason; the first eligible model of each rung joins the chain;
 *  - when none of the task's rungs can run, the rest of the escalation path, with the reason said;
 *  - preference reorders (quality: best first; speed: fastest first); over budget, paid models go last.
 * Pure and synchronous: a few microseconds.
 */
export function decide(analysis: RequestAnalysis, ctx: RouteContext): RouteDecision {
  const { config } = ctx;
  const mode = ctx.mode ?? 'auto';
  const replyTokens = config.replyTokens[analysis.complexity];
  const needs: Needs = { contextTokens: analysis.contextTokens, replyTokens, complexity: analysis.complexity };
  const reasons: string[] = [];
  if (ctx.budget.level !== 'ok') reasons.push(ctx.budget.message);
  if (ctx.offline) reasons.push('Offline mode: only models on this machine are used.');

  const candidates: RouteCandidate[] = [];
  const seen = new Set<string>();
  const local = ctx.localOrder?.(analysis.intent) ?? null;
  /** The first eligible model of each rung, in rung order. */
  const pickRungs = (rungs: readonly string[]): string[] => {
    const picks: string[] = [];
    for (const rung of rungs) {
      let picked: string | null = null;
      for (const id of modelsOfRung(rung, ctx, local?.ids)) {
        if (seen.has(id)) continue;
        seen.add(id);
        const c = checkCandidate(id, rung, ctx, needs);
        if (c.eligible && picked !== null) c.reason = `eligible, standing by: ${picked} is preferred on the ${rung} rung`;
        candidates.push(c);
        if (c.eligible && picked === null) picked = id;
      }
      if (picked !== null) picks.push(picked);
    }
    return picks;
  };

  let chain: string[];
  let startFloor: TierFloor | undefined;
  if (typeof mode === 'object') {
    chain = pickRungs(['chosen']);
    reasons.push(`You chose ${mode.model}.`);
  } else if (mode === 'local-only') {
    chain = localOnlyChain(ctx, needs, candidates, seen, local?.ids);
    reasons.push('Local-only mode: the request stays on this machine.');
  } else {
    const { rungs, why, floor, below } = rungsFor(analysis, ctx);
    reasons.push(...why);
    startFloor = floor;
    chain = pickRungs(rungs);
    if (chain.length === 0 && below.length > 0) {
      // Nothing at the estimated tier or above can run (no key, quota, offline): the task's cheaper rungs answer.
      chain = pickRungs(below);
      if (chain.length > 0) reasons.push(`No model at the estimated tier or above is available: starting lower, on ${below.join(', ')}.`);
    }
    if (chain.length === 0) {
      const rest = config.escalationPath.filter((r) => !rungs.includes(r));
      chain = pickRungs(rest);
      if (chain.length > 0) reasons.push(`None of the models for this task (${rungs.join(', ')}) is available: falling back along the escalation path.`);
    }
    chain = reorder(chain, ctx);
  }

  if (local?.note && candidates.some((c) => c.rung === LOCAL_RUNG)) reasons.push(local.note);
  const first = chain[0] ?? null;
  const firstModel = first === null ? undefined : ctx.model(first);
  const attempts = chain.slice(0, config.validation.maxEscalations + 1);
  const maxCostUsd = attempts.reduce(
    (sum, id) => sum + answerCostUsd(ctx.model(id), analysis.contextTokens + ESCALATION_NOTE_TOKENS, ctx.replyCapTokens ?? config.replyTokens.max),
    0,
  );
  const refusal = first === null ? refusalFor(candidates, ctx, needs) : null;
  if (first !== null) reasons.push(`First try: ${first}${chain.length > 1 ? `, then ${chain.slice(1).join(' → ')}` : ''}.`);
  return {
    analysis,
    mode,
    tier: first === null ? null : (candidates.find((c) => c.model === first)?.tier ?? null),
    model: first,
    candidates,
    chain,
    estimatedCostUsd: answerCostUsd(firstModel, analysis.contextTokens, replyTokens),
    maxCostUsd,
    reasons,
    refusal,
    ...(startFloor ? { startFloor } : {}),
  };
}

/** The rungs for the task, with why. */
function rungsFor(analysis: RequestAnalysis, ctx: RouteContext): { rungs: string[]; why: string[]; floor?: TierFloor; below: string[] } {
  const { config } = ctx;
  const why: string[] = [];
  const key: TaskKey = analysis.qualityRequirement === 'critical' ? 'critical' : analysis.intent;
  let rungs = [...(config.tiers[key] ?? config.escalationPath)];
  let floor: TierFloor | undefined;
  let below: string[] = [];
  why.push(key === 'critical' ? `Critical work (${criticalWhy(analysis)}): ${rungs.join(', ')}.` : `Task ${key}: ${rungs.join(', ')}.`);
  const dial = config.difficulty;
  const quality = analysis.predictedQuality;
  const smallTalk = analysis.intent === 'chat' && analysis.complexity === 'trivial';
  if (key !== 'critical' && dial?.enabled && quality && !smallTalk) {
    // Issue #11: the difficulty estimator, not the token count, says where to start.
    const pct = (x: number) => `${Math.round(x * 100)} %`;
    let start: Tier = cheapestTierClearing(quality, dial.threshold);
    why.push(`Difficulty ${analysis.difficulty ?? 1 - quality.local}: local ${pct(quality.local)}, free ${pct(quality.free)} likely to answer as well as a paid model; the dial asks ${pct(dial.threshold)}: start at ${start}.`);
    if (ctx.startFloor && tierRank(ctx.startFloor.tier) > tierRank(start)) {
      start = higherTier(start, ctx.startFloor.tier);
      floor = ctx.startFloor;
      const r = ctx.startFloor.reason;
      why.push(`${r.charAt(0).toUpperCase()}${r.slice(1)}: starting at ${start}.`);
    }
    const kept = rungs.filter((r) => tierRank(rungTier(r, ctx)) >= tierRank(start));
    below = rungs.filter((r) => !kept.includes(r)).reverse();
    rungs = kept.length > 0 ? kept : config.escalationPath.filter((r) => tierRank(rungTier(r, ctx)) >= tierRank(start));
  } else if (key !== 'critical' && dial?.enabled && quality && smallTalk) {
    // Greetings and thanks are not tasks (the estimator was trained on tasks): the cheapest rung answers.
    why.push('Small talk: the cheapest model answers.');
    if (!rungs.includes(LOCAL_RUNG)) rungs = [LOCAL_RUNG, ...rungs];
  } else if (key !== 'critical' && analysis.complexity === 'trivial' && !rungs.includes(LOCAL_RUNG)) {
    rungs = [LOCAL_RUNG, ...rungs];
    why.push('Trivial request: the local model goes first.');
  } else if (analysis.complexity === 'complex' && rungs.length > 1 && rungs.includes(LOCAL_RUNG)) {
    rungs = rungs.filter((r) => r !== LOCAL_RUNG);
    why.push('Complex request: the local model is skipped.');
  }
  const estimated = key !== 'critical' && dial?.enabled && quality;
  if (!estimated && key !== 'critical' && ctx.startFloor && !smallTalk) {
    // Estimator off: what similar requests needed (the user's own outcomes) still lifts the start.
    const floorTier = ctx.startFloor.tier;
    const kept = rungs.filter((r) => tierRank(rungTier(r, ctx)) >= tierRank(floorTier));
    if (kept.length < rungs.length) {
      below = rungs.filter((r) => !kept.includes(r)).reverse();
      rungs = kept.length > 0 ? kept : config.escalationPath.filter((r) => tierRank(rungTier(r, ctx)) >= tierRank(floorTier));
      floor = ctx.startFloor;
      const r = ctx.startFloor.reason;
      why.push(`${r.charAt(0).toUpperCase()}${r.slice(1)}: starting at ${floorTier}.`);
    }
  }
  if (analysis.contextTokens > config.longContext.thresholdTokens) {
    rungs = [config.longContext.rung, ...rungs.filter((r) => r !== config.longContext.rung)];
    why.push(`Context ~${Math.round(analysis.contextTokens / 1000)}K tokens exceeds ${config.longContext.thresholdTokens / 1000}K: long-context model first.`);
  }
  return { rungs, why, below, ...(floor ? { floor } : {}) };
}

/** The tier of a rung: its first listed model's (`local` is always local). */
function rungTier(rung: string, ctx: RouteContext): Tier {
  if (rung === LOCAL_RUNG) return 'local';
  const id = ctx.config.rungs[rung]?.[0];
  if (id === undefined) return 'paid';
  return ctx.model(id)?.tier ?? tierOfUnknown(id);
}

function criticalWhy(analysis: RequestAnalysis): string {
  const s = analysis.signals.find((x) => x.startsWith('critical: '));
  return s ? s.slice('critical: '.length) : 'marked critical';
}

function modelsOfRung(rung: string, ctx: RouteContext, ranked?: string[]): string[] {
  const mode = ctx.mode ?? 'auto';
  if (rung === 'chosen' && typeof mode === 'object') return [mode.model];
  const listed = ctx.config.rungs[rung] ?? [];
  if (rung !== LOCAL_RUNG || !ctx.config.localFallbackToInstalled) return listed;
  if (ranked) return ranked;
  return [...listed, ...ctx.installedLocal.filter((id) => !listed.includes(id))];
}

/** Local-only: the configured local models, then every other installed one, all in the chain. */
function localOnlyChain(ctx: RouteContext, needs: Needs, candidates: RouteCandidate[], seen: Set<string>, ranked?: string[]): string[] {
  const ids = ranked ?? [...(ctx.config.rungs[LOCAL_RUNG] ?? []), ...ctx.installedLocal];
  const chain: string[] = [];
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const c = checkCandidate(id, LOCAL_RUNG, ctx, needs);
    candidates.push(c);
    if (c.eligible) chain.push(id);
  }
  return chain;
}

/** Preference first, then the budget: over budget, local and free models go before paid ones. */
function reorder(chain: string[], ctx: RouteContext): string[] {
  const info = chain.map((id, index) => {
    const model = ctx.model(id);
    const tier = model?.tier ?? 'paid';
    return { id, index, tier, quality: model?.quality ?? 0, speed: speedRank(model, tier) };
  });
  const pref = ctx.config.preference;
  const overBudget = ctx.budget.level === 'over-budget';
  info.sort((a, b) => {
    if (overBudget && (a.tier === 'paid') !== (b.tier === 'paid')) return a.tier === 'paid' ? 1 : -1;
    if (pref === 'quality' && a.quality !== b.quality) return b.quality - a.quality;
    if (pref === 'speed' && a.speed !== b.speed) return a.speed - b.speed;
    return a.index - b.index;
  });
  return info.map((x) => x.id);
}

/** Nothing may answer: say the dominant cause and what to do about it. */
function refusalFor(candidates: RouteCandidate[], ctx: RouteContext, needs: Needs): RouteRefusal {
  const mode = ctx.mode ?? 'auto';
  const listed = candidates
    .slice(0, 4)
    .map((c) => `${c.model}: ${c.reason}`)
    .join('; ');
  let code: ErrorCode = 'unavailable';
  let head = 'No model can take this request right now.';
  const chosen = typeof mode === 'object' ? mode.model : null;
  if (ctx.budget.level === 'stopped' && candidates.some((c) => c.tier !== 'local')) {
    code = 'budget_exceeded';
    head = chosen
      ? `${ctx.budget.message} Only local models run until the budget resets or is raised in Settings: choose a local model or Auto.`
      : `${ctx.budget.message} No local model is available to answer instead.`;
  } else if (ctx.offline) {
    code = 'offline';
    head = chosen
      ? `Offline mode is on, so ${chosen} (not on this machine) was not called. Choose a local model or Auto, or turn offline mode off in Settings.`
      : 'Offline mode is on and no local model can answer. Install one (ollama pull) or turn offline mode off.';
  } else if (candidates.some((c) => checkCandidate(c.model, c.rung, ctx, { ...needs, contextTokens: 0 }).eligible)) {
    // Shorter, it would be answered: the request is what must change, not the setup (issue #16:
    // `/v1` answers OpenAI's 400 context_length_exceeded, which clients do not retry like a 503).
    code = 'context_too_long';
    head = `The conversation (~${needs.contextTokens} tokens) does not fit the context window of ${chosen ?? 'any model that could answer'}: shorten it or start a new conversation.`;
  } else if (typeof mode === 'object') {
    head = `${mode.model} cannot take this request.`;
  }
  return { code, message: listed ? `${head} (${listed})` : head };
}
