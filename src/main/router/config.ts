import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { BudgetLimits, RoutingPreference } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { INTENTS } from './types';

const ModelId = z.string().regex(/^[a-z0-9-]+\/\S+$/, 'must be provider/model, e.g. ollama/qwen2.5-coder:7b');
/** Keys of `tiers`: every intent, plus `critical` for work whose quality requirement is critical. */
export const TASK_KEYS = [...INTENTS, 'critical'] as const;
export type TaskKey = (typeof TASK_KEYS)[number];

/**
 * The router's configuration: one schema, defaults from the seeds, stored by Settings (or read from
 * a JSON file with `loadRouterConfigFile`). Seed 002's `[tiers]` names rungs of its escalation path
 * ("local", "groq", "deepseek", "haiku", "sonnet"); `rungs` says which concrete models each means,
 * in order of preference (the first eligible one of a rung is used).
 */
export const RouterConfigSchema = z
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
export type RouterConfig = z.infer<typeof RouterConfigSchema>;

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
export type RouterConfigPatch = DeepPartial<RouterConfig>;

const LOCAL = 'local';
export const DEFAULT_ROUTER_CONFIG: RouterConfig = {
  localModels: { router: 'ollama/phi3:mini', validator: 'ollama/deepseek-coder:6.7b', summariser: 'ollama/qwen2.5-coder:7b' },
  rungs: {
    // Seed 002 Tier 1 "Code Model (Qwen2.5-Coder)"; any other installed local model when it is missing.
    local: ['ollama/qwen2.5-coder:7b'],
    // Seed 002 Tier 2: Llama 70B first (quality), the 8B model has the higher free limits.
    groq: ['groq/llama-3.3-70b-versatile', 'groq/llama-3.1-8b-instant'],
    // Seed 002 Tier 3 "DeepSeek-V3 … the cheapest premium": direct key first, then via OpenRouter.
    deepseek: ['deepseek/deepseek-chat', 'openrouter/deepseek/deepseek-chat'],
    // The seed's Claude 3.5 Haiku / Sonnet and Gemini 1.5 Pro are retired (a 404 from the API): each
    // rung names the current model of its class, direct key first, then via OpenRouter. Sonnet 4.5
    // retires 2026-11-30 and Gemini 2.5 Pro 2026-12-01, so the rungs skip them: Sonnet 5.5, and
    // Gemini 3.8 Flash, Google's named replacement for 2.5 Pro (resources/cloud-models.json cites each).
    haiku: ['anthropic/claude-haiku-4-5', 'openrouter/anthropic/claude-haiku-4.5'],
    sonnet: ['anthropic/claude-sonnet-5-5', 'openrouter/anthropic/claude-sonnet-5.5'],
    long_context: ['openrouter/google/gemini-3.8-flash'],
  },
  localFallbackToInstalled: true,
  escalationPath: [LOCAL, 'groq', 'deepseek', 'haiku', 'sonnet'],
  tiers: {
    // The four rows seed 002's [tiers] gives, verbatim:
    simple_edit: [LOCAL, 'groq', 'deepseek'],
    refactor: ['groq', 'deepseek', 'haiku'],
    architecture: ['groq', 'sonnet'],
    critical: ['sonnet'],
    // The rest placed by seed 002's task categories: Tier 1 does docs, tests, completions;
    // Tier 2 does bug diagnosis, review, reasoning; the premium tier the hard reasoning.
    question: [LOCAL, 'groq', 'deepseek'],
    chat: [LOCAL, 'groq', 'deepseek'],
    code_generation: [LOCAL, 'groq', 'deepseek', 'haiku'],
    bug_fix: ['groq', 'deepseek', 'haiku'],
    review: ['groq', 'deepseek', 'haiku'],
    test_generation: [LOCAL, 'groq', 'deepseek'],
    docs: [LOCAL, 'groq', 'deepseek'],
    research: ['groq', 'deepseek', 'sonnet'],
    summarisation: [LOCAL, 'groq', 'deepseek'],
    translation: [LOCAL, 'groq', 'deepseek'],
    math: ['groq', 'deepseek', 'sonnet'],
    other: [LOCAL, 'groq', 'deepseek', 'haiku', 'sonnet'],
  },
  longContext: { thresholdTokens: 100_000, rung: 'long_context' },
  preference: 'cost',
  validation: { threshold: 0.8, useValidatorModel: false, maxEscalations: 2 },
  context: { maxContextTokens: 20_000, keepLastTurns: 4 },
  cost: {
    dailyBudgetUsd: 5,
    warnThresholdUsd: 4,
    stopThresholdUsd: 6,
    // Seeds give no monthly numbers: 20 working days at the daily budget, with the daily 80 % / 120 %
    // ratios. Seed 002 projects $17/month for the hybrid setup, so this only catches runaways.
    monthlyBudgetUsd: 100,
    monthlyWarnUsd: 80,
    monthlyStopUsd: 120,
  },
  // Our choice: the heuristic decides above 0.55; seed 003 puts router overhead at <50 ms for GPT-5's
  // router, a local 3.8B model needs more, so its answer is awaited at most 1.5 s.
  analyser: { routerModelBelowConfidence: 0.55, routerModelTimeoutMs: 1500 },
  // Seed 000's worked example is 10K in / 2K out per review; shorter requests get shorter replies.
  replyTokens: { trivial: 150, simple: 400, medium: 1000, complex: 2000, max: 4096 },
  // Seed 002's top rung ("Sonnet", today Sonnet 5.5): what a single-model setup would send everything to.
  referenceModel: 'anthropic/claude-sonnet-5-5',
};

/** Defaults with `patch` merged in (objects merge, arrays and scalars replace), validated. */
export function resolveRouterConfig(patch: unknown = {}, base: RouterConfig = DEFAULT_ROUTER_CONFIG): RouterConfig {
  if (patch !== null && typeof patch !== 'object') throw invalid('the router configuration must be a JSON object');
  const merged = mergeDeep(base, patch ?? {});
  const parsed = RouterConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw invalid(`the router configuration is not valid (${first.join('; ')})`);
  }
  return parsed.data;
}

/** Reads a JSON config file (the seed's TOML keys in camelCase); a missing file means the defaults. */
export async function loadRouterConfigFile(filePath: string): Promise<RouterConfig> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return resolveRouterConfig({});
    throw new SwitchboardError('internal', `The router configuration ${filePath} could not be read.`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SwitchboardError('invalid_input', `The router configuration ${filePath} is not valid JSON: fix or delete it.`, { cause: error });
  }
  return resolveRouterConfig(json);
}

function invalid(message: string): SwitchboardError {
  return new SwitchboardError('invalid_input', `${message[0]?.toUpperCase()}${message.slice(1)}.`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A stored patch with another merged in (objects merge, arrays and scalars replace), unvalidated. */
export function mergeRouterPatch(base: unknown, patch: unknown): Record<string, unknown> {
  const merged = mergeDeep(isPlainObject(base) ? base : {}, patch ?? {});
  return isPlainObject(merged) ? merged : {};
}

function mergeDeep(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = mergeDeep(base[key], value);
  return out;
}
