import { z } from 'zod';
import { INTENTS } from './routing-types';

/**
 * The router's configuration: its one definition (issue #10). src/main/router/config.ts holds the
 * defaults and validates a stored patch merged over them with this schema; `routing.config` sends it.
 */

const ModelId = z.string().regex(/^[a-z0-9-]+\/\S+$/, 'must be provider/model, e.g. ollama/qwen2.5-coder:7b');
const Usd = z.number().nonnegative();

/** Seed 002 `[cost]`: daily and monthly budgets with warn and stop thresholds (USD). */
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

/** Keys of `tiers`: every intent, plus `critical` for work whose quality requirement is critical. */
export const TASK_KEYS = [...INTENTS, 'critical'] as const;
export type TaskKey = (typeof TASK_KEYS)[number];

/**
 * One schema, defaults from the seeds (src/main/router/config.ts), stored by Settings (or read from
 * a JSON file with `loadRouterConfigFile`). Seed 002's `[tiers]` names rungs of its escalation path
 * ("local", "groq", "deepseek", "haiku", "sonnet"); `rungs` says which concrete models each means,
 * in order of preference (the first eligible one of a rung is used).
 */
export const RoutingConfig = z
  .object({
    /** Seed 002 `[local_models]`: router phi3:mini, validator deepseek-coder:6.7b; the coder summarises. */
    localModels: z.object({ router: ModelId, validator: ModelId, summariser: ModelId }).strict(),
    rungs: z.record(z.string().min(1), z.array(ModelId).min(1)),
    /** When no model of the `local` rung is installed, use another installed local model. */
    localFallbackToInstalled: z.boolean(),
    /** Seed 002: "Escalation Path: Local → Groq → DeepSeek-V3 → Haiku → Sonnet". */
    escalationPath: z.array(z.string().min(1)).min(1),
    tiers: z.record(z.enum(TASK_KEYS), z.array(z.string().min(1)).min(1)),
    /** Seed 002 Phase 2: "Context Size: >100K tokens → Gemini Pro (long context)" (now Gemini 3.8 Flash). */
    longContext: z.object({ thresholdTokens: z.number().int().positive(), rung: z.string().min(1) }).strict(),
    preference: RoutingPreference,
    validation: z
      .object({
        /** Seed 002 validation layer: "Score: 0-1.0 confidence. Early exit if <0.8". */
        threshold: z.number().min(0).max(1),
        /** Ask the local validator model to score replies (costs a local call per attempt). */
        useValidatorModel: z.boolean(),
        /** Seed 002 says "retry up to max_retries" without a number; 2 keeps the chain at ≤ 3 models. */
        maxEscalations: z.number().int().min(0).max(6),
      })
      .strict(),
    /** Seed 002 `[context] max_context_tokens = 20000`; the last 4 turns are never summarised. */
    context: z.object({ maxContextTokens: z.number().int().positive(), keepLastTurns: z.number().int().min(1) }).strict(),
    /** Seed 002 `[cost]`: daily 5.00, warn 4.00, stop 6.00. Monthly: see DEFAULT_ROUTER_CONFIG. */
    cost: BudgetLimits.strict(),
    analyser: z
      .object({
        /** Below this heuristic confidence the local router model is asked (when installed). */
        routerModelBelowConfidence: z.number().min(0).max(1),
        routerModelTimeoutMs: z.number().int().positive(),
      })
      .strict(),
    /** Expected reply tokens by complexity (for cost estimates), and the cap used for worst cases. */
    replyTokens: z
      .object({ trivial: z.number().int().positive(), simple: z.number().int().positive(), medium: z.number().int().positive(), complex: z.number().int().positive(), max: z.number().int().positive() })
      .strict(),
    /** The premium model the dashboard prices every call at, to show what routing saved. */
    referenceModel: ModelId,
    /**
     * Issue #11, the Savings ↔ Quality dial: a cheaper tier is tried first only when the difficulty
     * estimator gives it at least `threshold` chance of answering as well as a paid model. Lower saves
     * more, higher keeps more quality. `learnFromOutcomes`: similar requests start on the tier that worked.
     */
    difficulty: z.object({ enabled: z.boolean(), threshold: z.number().min(0).max(1), learnFromOutcomes: z.boolean() }).strict().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const known = new Set(Object.keys(c.rungs));
    const check = (rung: string, path: (string | number)[]): void => {
      if (!known.has(rung)) ctx.addIssue({ code: 'custom', path, message: `unknown rung "${rung}" (known: ${[...known].join(', ')})` });
    };
    c.escalationPath.forEach((r, i) => check(r, ['escalationPath', i]));
    for (const [key, rungs] of Object.entries(c.tiers)) rungs?.forEach((r, i) => check(r, ['tiers', key, i]));
    check(c.longContext.rung, ['longContext', 'rung']);
    const { cost } = c;
    if (!(cost.warnThresholdUsd <= cost.dailyBudgetUsd && cost.dailyBudgetUsd <= cost.stopThresholdUsd)) {
      ctx.addIssue({ code: 'custom', path: ['cost'], message: 'daily thresholds must satisfy warn ≤ budget ≤ stop' });
    }
    if (!(cost.monthlyWarnUsd <= cost.monthlyBudgetUsd && cost.monthlyBudgetUsd <= cost.monthlyStopUsd)) {
      ctx.addIssue({ code: 'custom', path: ['cost'], message: 'monthly thresholds must satisfy warn ≤ budget ≤ stop' });
    }
  });
export type RoutingConfig = z.infer<typeof RoutingConfig>;

export const RoutingConfigState = z.object({
  /** Defaults with the stored patch merged in. */
  config: RoutingConfig,
  /** What the user changed (Settings.router). */
  patch: z.record(z.string(), z.unknown()),
  defaults: RoutingConfig,
});
export type RoutingConfigState = z.infer<typeof RoutingConfigState>;
