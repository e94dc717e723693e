import { z } from 'zod';
import { ErrorCode, SerializedError } from '../errors';
import { Tier } from './system';

/**
 * The router's records as they cross to the renderer and the CLI (src/main/router/types.ts and
 * decision-recorder.ts hold the originals; the handlers are typed against these, so a field that
 * drifts apart fails the typecheck).
 */

/**
 * What a model call is for (issue #10): stored in every `calls` row and shown on the dashboard as
 * cost per purpose. `escalation` is a cascade's later attempt (a stronger model after a gate failed).
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
  'other',
] as const;
export const CallPurpose = z.enum(CALL_PURPOSES);
export type CallPurpose = z.infer<typeof CallPurpose>;

export const Complexity = z.enum(['trivial', 'simple', 'medium', 'complex']);

export const RequestAnalysis = z.object({
  intent: z.string(),
  complexity: Complexity,
  contextTokens: z.number(),
  requestTokens: z.number(),
  qualityRequirement: z.enum(['standard', 'critical']),
  parallelizable: z.boolean(),
  parts: z.array(z.object({ text: z.string(), dependsOnPrevious: z.boolean() })),
  filesMentioned: z.array(z.string()),
  codeBlocks: z.number(),
  wantsJson: z.boolean(),
  confidence: z.number(),
  /** One short line per rule that fired. */
  signals: z.array(z.string()),
  source: z.enum(['heuristic', 'router-model']),
});
export type RequestAnalysis = z.infer<typeof RequestAnalysis>;

export const RouteCandidate = z.object({
  model: z.string(),
  tier: Tier,
  /** The escalation rung it came from (`local`, `groq`, `deepseek` … or `chosen`). */
  rung: z.string(),
  eligible: z.boolean(),
  reason: z.string(),
  estimatedCostUsd: z.number(),
});
export type RouteCandidate = z.infer<typeof RouteCandidate>;

export const GateResult = z.object({
  gate: z.string(),
  passed: z.boolean(),
  reason: z.string(),
  score: z.number().optional(),
  skipped: z.boolean().optional(),
});
export type GateResult = z.infer<typeof GateResult>;

export const RouteAttempt = z.object({
  attempt: z.number(),
  model: z.string(),
  tier: Tier,
  startedAt: z.number(),
  latencyMs: z.number(),
  firstTokenMs: z.number().nullable(),
  usage: z
    .object({ inputTokens: z.number(), outputTokens: z.number(), cachedInputTokens: z.number().optional(), cacheWriteTokens: z.number().optional(), estimated: z.boolean() })
    .nullable(),
  costUsd: z.number(),
  finishReason: z.string().nullable(),
  error: SerializedError.nullable(),
  gates: z.array(GateResult),
  passed: z.boolean(),
  chars: z.number(),
});
export type RouteAttempt = z.infer<typeof RouteAttempt>;

/** Why a reply went where it went: the "Why this model?" panel. */
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
  outcome: z.enum(['ok', 'failed', 'cancelled', 'refused']),
  costUsd: z.number(),
  latencyMs: z.number(),
  escalations: z.number(),
});
export type DecisionRecord = z.infer<typeof DecisionRecord>;

export const ComposerMode = z.union([z.enum(['auto', 'local-only']), z.object({ model: z.string() })]);

/** The decision alone, before any model is called (`routing.preview`, `cli route`). */
export const RouteDecision = z.object({
  analysis: RequestAnalysis,
  mode: ComposerMode,
  tier: Tier.nullable(),
  model: z.string().nullable(),
  candidates: z.array(RouteCandidate),
  /** Eligible models in escalation order. */
  chain: z.array(z.string()),
  estimatedCostUsd: z.number(),
  /** Worst case over the attempts the cascade may make: what the budget reserves. */
  maxCostUsd: z.number(),
  reasons: z.array(z.string()),
  refusal: z.object({ code: ErrorCode, message: z.string() }).nullable(),
});
export type RouteDecision = z.infer<typeof RouteDecision>;

const Usd = z.number().nonnegative();
export const BudgetLimits = z.object({
  dailyBudgetUsd: Usd,
  warnThresholdUsd: Usd,
  stopThresholdUsd: Usd,
  monthlyBudgetUsd: Usd,
  monthlyWarnUsd: Usd,
  monthlyStopUsd: Usd,
});
export type BudgetLimits = z.infer<typeof BudgetLimits>;

export const RoutingPreference = z.enum(['cost', 'speed', 'quality']);
export type RoutingPreference = z.infer<typeof RoutingPreference>;

/** The router's configuration (src/main/router/config.ts validates it); the fields the UI edits are typed. */
export const RoutingConfig = z
  .object({
    preference: RoutingPreference,
    cost: BudgetLimits,
    referenceModel: z.string(),
    escalationPath: z.array(z.string()),
    rungs: z.record(z.string(), z.array(z.string())),
    tiers: z.record(z.string(), z.array(z.string())),
    validation: z.object({ threshold: z.number(), useValidatorModel: z.boolean(), maxEscalations: z.number() }),
    localModels: z.object({ router: z.string(), validator: z.string(), summariser: z.string() }),
  })
  .loose();
export type RoutingConfig = z.infer<typeof RoutingConfig>;

export const RoutingConfigState = z.object({
  /** Defaults with the stored patch merged in. */
  config: RoutingConfig,
  /** What the user changed (Settings.router). */
  patch: z.record(z.string(), z.unknown()),
  defaults: RoutingConfig,
});
export type RoutingConfigState = z.infer<typeof RoutingConfigState>;

export const BudgetLevel = z.enum(['ok', 'warn', 'over-budget', 'stopped']);
export type BudgetLevel = z.infer<typeof BudgetLevel>;

export const BudgetPeriod = z.object({
  since: z.number(),
  /** When this period's spend starts again from zero (local midnight, the first of next month). */
  resetsAt: z.number(),
  spentUsd: z.number(),
  heldUsd: z.number(),
  budgetUsd: z.number(),
  warnUsd: z.number(),
  stopUsd: z.number(),
  level: BudgetLevel,
});
export type BudgetPeriod = z.infer<typeof BudgetPeriod>;

export const BudgetState = z.object({
  level: BudgetLevel,
  /** One sentence for the user, about the worse of the two periods. */
  message: z.string(),
  day: BudgetPeriod,
  month: BudgetPeriod,
});
export type BudgetState = z.infer<typeof BudgetState>;

export const OutboundEntry = z.object({
  at: z.number(),
  method: z.string(),
  host: z.string(),
  /** Scheme, host and path: never a query string or credentials. */
  url: z.string(),
  purpose: z.string(),
  allowed: z.boolean(),
  reason: z.string(),
});
export type OutboundEntry = z.infer<typeof OutboundEntry>;
