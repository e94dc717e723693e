import { z } from 'zod';
import { ErrorCode, SerializedError } from '../errors';
import { Tier } from './system';

/**
 * The router's records as they cross to the renderer and the CLI. These schemas are the one
 * definition (issue #10): src/main/router uses their `z.infer` types (router/types.ts re-exports them).
 */

/**
 * What a model call is for (issue #10): stored in every `calls` row and shown on the dashboard as
 * cost per purpose. `escalation` is a cascade's later attempt (a stronger model after a gate failed).
 * `embedding` is a `/v1/embeddings` request (issue #15).
 */
export const CALL_PURPOSES = [
  'chat',
  'api',
  'escalation',
  'router.classify',
  'router.validate',
  'context.summary',
  'council.answer',
  'council.vote',
  'council.review',
  'council.synthesis',
  'tasks.plan',
  'tasks.node',
  'tasks.synthesis',
  'embedding',
  'coding.plan',
  'coding.edit',
  'other',
] as const;
export const CallPurpose = z.enum(CALL_PURPOSES);
export type CallPurpose = z.infer<typeof CallPurpose>;

/** What the request asks for. Seed 002's "Task Categories" across its three tiers, plus chat/other. */
export const INTENTS = [
  'question',
  'chat',
  'code_generation',
  'simple_edit',
  'refactor',
  'bug_fix',
  'review',
  'test_generation',
  'docs',
  'architecture',
  'research',
  'summarisation',
  'translation',
  'math',
  'other',
] as const;
export const Intent = z.enum(INTENTS);
export type Intent = z.infer<typeof Intent>;

/** Seed 002's `enum Complexity`: Trivial <20 tokens, Simple <50, Medium <100, Complex >100. */
export const COMPLEXITIES = ['trivial', 'simple', 'medium', 'complex'] as const;
export const Complexity = z.enum(COMPLEXITIES);
export type Complexity = z.infer<typeof Complexity>;

/** Seed 002's `Quality`: critical work (security, production, payments …) goes to the top model. */
export const QualityRequirement = z.enum(['standard', 'critical']);
export type QualityRequirement = z.infer<typeof QualityRequirement>;

/** One sub-task of a multi-part request (seed 002: separators "and", "also", "then"; numbered lists). */
export const RequestPart = z.object({
  /** The part's words; a single part of a very long request is cut to its first 200 characters. */
  text: z.string(),
  /** "then", "after that", "once … done": this part waits for the one before it. */
  dependsOnPrevious: z.boolean(),
});
export type RequestPart = z.infer<typeof RequestPart>;

export const RequestAnalysis = z.object({
  intent: Intent,
  complexity: Complexity,
  /** Estimated prompt tokens of the whole conversation as it would be sent. */
  contextTokens: z.number(),
  /** Estimated tokens of the instruction itself (the last user message, code blocks left out). */
  requestTokens: z.number(),
  qualityRequirement: QualityRequirement,
  /** Two or more parts of which at least one does not wait for the previous one. */
  parallelizable: z.boolean(),
  parts: z.array(RequestPart),
  filesMentioned: z.array(z.string()),
  codeBlocks: z.number(),
  wantsJson: z.boolean(),
  /** 0–1: how sure the analyser is of `intent`. */
  confidence: z.number(),
  /** Why: one short line per rule that fired, for the decision record and the UI. */
  signals: z.array(z.string()),
  source: z.enum(['heuristic', 'router-model']),
  /**
   * Issue #11: 0–1, the estimated chance a local model falls short of what a paid model would answer
   * (the difficulty estimator, src/main/router/difficulty). Absent where no estimate was made.
   */
  difficulty: z.number().min(0).max(1).optional(),
  /** Issue #11: per tier, the estimated chance its model answers as well as a paid model (paid is the yardstick, 1). */
  predictedQuality: z.object({ local: z.number(), free: z.number(), paid: z.number() }).optional(),
});
export type RequestAnalysis = z.infer<typeof RequestAnalysis>;

export const RouteCandidate = z.object({
  model: z.string(),
  tier: Tier,
  /** The escalation rung this candidate came from (`local`, `groq`, `deepseek` … or `chosen`). */
  rung: z.string(),
  eligible: z.boolean(),
  /** Why it is (or is not) in the chain, in words the user can act on. */
  reason: z.string(),
  /** Expected cost of answering with this model alone (USD). */
  estimatedCostUsd: z.number(),
  /** Local (Ollama) models: the num_ctx the request would run with (issue #13). */
  contextTokens: z.number().optional(),
});
export type RouteCandidate = z.infer<typeof RouteCandidate>;

/** Tokens of one model call, as the provider reported them (or as we counted them). */
export const TokenUsage = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number().optional(),
  cacheWriteTokens: z.number().optional(),
  /** True when counted by us because the provider reported none. */
  estimated: z.boolean(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

export const GateResult = z.object({
  gate: z.string(),
  passed: z.boolean(),
  /** What failed (or why the gate could not judge), one sentence: it goes into the escalation note. */
  reason: z.string(),
  /** The validator model's 0–1 score, when it gave one. */
  score: z.number().optional(),
  /** The gate could not judge (validator down, a module the parser cannot check): counted as passed. */
  skipped: z.boolean().optional(),
});
export type GateResult = z.infer<typeof GateResult>;

/** One model the cascade tried (the cascade's CascadeAttempt). */
export const RouteAttempt = z.object({
  attempt: z.number(),
  model: z.string(),
  tier: Tier,
  startedAt: z.number(),
  latencyMs: z.number(),
  /** From the start of the attempt to its first text; null when no text came. */
  firstTokenMs: z.number().nullable(),
  usage: TokenUsage.nullable(),
  costUsd: z.number(),
  finishReason: z.string().nullable(),
  error: SerializedError.nullable(),
  gates: z.array(GateResult),
  passed: z.boolean(),
  /** Length of the reply, for records (the text itself is in the message). */
  chars: z.number(),
});
export type RouteAttempt = z.infer<typeof RouteAttempt>;

export const DecisionOutcome = z.enum(['ok', 'failed', 'cancelled', 'refused']);
export type DecisionOutcome = z.infer<typeof DecisionOutcome>;

/** Why a reply went where it went: the "Why this model?" panel; one row of `route_decisions` (migration 4). */
export const DecisionRecord = z.object({
  id: z.string(),
  messageId: z.string().nullable(),
  createdAt: z.number(),
  analysis: RequestAnalysis,
  candidates: z.array(RouteCandidate),
  attempts: z.array(RouteAttempt),
  reasons: z.array(z.string()),
  chosenModel: z.string().nullable(),
  tier: Tier.nullable(),
  outcome: DecisionOutcome,
  costUsd: z.number(),
  latencyMs: z.number(),
  escalations: z.number(),
});
export type DecisionRecord = z.infer<typeof DecisionRecord>;

/** The composer's model menu: let the router choose, stay on this machine, or use this model. */
export const ComposerMode = z.union([z.enum(['auto', 'local-only']), z.object({ model: z.string() })]);
export type ComposerMode = z.infer<typeof ComposerMode>;

/** Why no model may answer (the budget is at its stop threshold, offline mode, nothing eligible), with its error code. */
export const RouteRefusal = z.object({ code: ErrorCode, message: z.string() });
export type RouteRefusal = z.infer<typeof RouteRefusal>;

/** The decision alone, before any model is called (`routing.preview`, `cli route`). */
export const RouteDecision = z.object({
  analysis: RequestAnalysis,
  mode: ComposerMode,
  /** Tier and model of the first attempt; null when nothing may answer (see `refusal`). */
  tier: Tier.nullable(),
  model: z.string().nullable(),
  candidates: z.array(RouteCandidate),
  /** Eligible models in escalation order: the cascade tries them left to right. */
  chain: z.array(z.string()),
  /** Expected cost of the first attempt (USD). */
  estimatedCostUsd: z.number(),
  /** Worst case over the attempts the cascade may make, at the reply cap: what the budget reserves. */
  maxCostUsd: z.number(),
  reasons: z.array(z.string()),
  refusal: RouteRefusal.nullable(),
  /**
   * Issue #11: the lowest tier this request may start on and why (the previous turn's tier, or what
   * similar requests needed); absent when nothing holds it up.
   */
  startFloor: z.object({ tier: Tier, reason: z.string() }).optional(),
});
export type RouteDecision = z.infer<typeof RouteDecision>;

/** Where spend stands against the budgets (seed 002 `[cost]`). */
export const BudgetLevel = z.enum(['ok', 'warn', 'over-budget', 'stopped']);
export type BudgetLevel = z.infer<typeof BudgetLevel>;

export const BudgetStatus = z.object({
  level: BudgetLevel,
  /** One sentence for the user about the worse of the two periods, e.g. "Today's spend $6.02 reached the stop threshold $6.00." */
  message: z.string(),
});
export type BudgetStatus = z.infer<typeof BudgetStatus>;

export const BudgetPeriod = z.object({
  /** Epoch ms of local midnight (day) or the first of the month. */
  since: z.number(),
  /** When this period's spend starts again from zero (local midnight, the first of next month). */
  resetsAt: z.number(),
  spentUsd: z.number(),
  /** Held by requests in flight: counted as spent until settled or released. */
  heldUsd: z.number(),
  budgetUsd: z.number(),
  warnUsd: z.number(),
  stopUsd: z.number(),
  level: BudgetLevel,
});
export type BudgetPeriod = z.infer<typeof BudgetPeriod>;

/** The BudgetLedger's state (src/main/router/budget-ledger.ts) with each period's reset time. */
export const BudgetState = BudgetStatus.extend({
  day: BudgetPeriod,
  month: BudgetPeriod,
});
export type BudgetState = z.infer<typeof BudgetState>;

/** One outbound HTTP attempt, allowed or refused (src/main/net/outbound-log.ts). */
export const OutboundEntry = z.object({
  at: z.number(),
  method: z.string(),
  host: z.string(),
  /** Scheme, host and path: never a query string or credentials. */
  url: z.string(),
  purpose: z.string(),
  allowed: z.boolean(),
  /** `online`, `loopback`, `local-host`, `redirect`, or why offline mode refused it. */
  reason: z.string(),
});
export type OutboundEntry = z.infer<typeof OutboundEntry>;
