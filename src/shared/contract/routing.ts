import { z } from 'zod';
import { call } from './define';
import { RoutingConfigState } from './routing-config';
import { BudgetState, CallPurpose, DecisionRecord, OutboundEntry, RouteDecision } from './routing-types';
import { Tier } from './system';

export * from './routing-config';
export * from './routing-types';

const Count = z.number().int().nonnegative();

/** Everything the Dashboard draws, over the last `days` days (and today / this month for budgets). */
export const MetricsDashboard = z.object({
  generatedAt: z.number(),
  days: z.number(),
  /** Start of the window: local midnight `days - 1` days ago. */
  since: z.number(),
  budget: BudgetState,
  spend: z.object({ windowUsd: z.number(), calls: Count, estimatedCalls: Count }),
  /** Every call's tokens priced at the reference model, against what the calls really cost. */
  savings: z.object({
    referenceModel: z.string(),
    /** USD per 1M tokens; null when the catalog does not know the reference model. */
    referencePrice: z.object({ input: z.number(), output: z.number() }).nullable(),
    actualUsd: z.number(),
    referenceUsd: z.number().nullable(),
    savedUsd: z.number().nullable(),
    savedPct: z.number().nullable(),
    calls: Count,
  }),
  requests: z.object({ total: Count, answered: Count, failed: Count, refused: Count, cancelled: Count }),
  /** Share of answered requests by the tier that answered. */
  tiers: z.array(z.object({ tier: Tier, requests: Count, share: z.number() })),
  escalation: z.object({ requests: Count, escalated: Count, escalations: Count, rate: z.number() }),
  /** Successful calls per model, nearest-rank percentiles. */
  latency: z.array(z.object({ model: z.string(), tier: Tier, calls: Count, p50Ms: z.number(), p95Ms: z.number(), p99Ms: z.number() })),
  /** Model calls of the period by what they were for (issue #10), most expensive first. */
  byPurpose: z.array(z.object({ purpose: CallPurpose, calls: Count, costUsd: z.number(), inputTokens: Count, outputTokens: Count })),
  /** `error`: a call failed (by error code); `gate`: a reply was rejected (by gate); `refused`: no model could take it. */
  failures: z.array(z.object({ kind: z.enum(['error', 'gate', 'refused']), type: z.string(), count: Count })),
  series: z.array(
    z.object({
      /** Local date, YYYY-MM-DD. */
      day: z.string(),
      start: z.number(),
      costUsd: z.number(),
      referenceUsd: z.number().nullable(),
      requests: Count,
      escalated: Count,
      tiers: z.object({ local: Count, free: Count, paid: Count }),
    }),
  ),
});
export type MetricsDashboard = z.infer<typeof MetricsDashboard>;

/** Seed 000's `llm-performance.json` entry: exactly its keys. */
export const LlmPerformanceEntry = z.object({
  task: z.string(),
  models: z.array(z.string()),
  timestamp: z.string(),
  latency_ms: z.record(z.string(), z.number()),
  votes: z.record(z.string(), z.enum(['APPROVE', 'REJECT'])),
  verdict: z.string(),
});
export type LlmPerformanceEntry = z.infer<typeof LlmPerformanceEntry>;

const Days = z.number().int().min(1).max(366);

export const routingCalls = {
  /** The decision record of a reply (latest, when it was retried); null for replies that were not routed. */
  'routing.decision': call(z.object({ messageId: z.string().min(1).max(100) }).strict(), DecisionRecord.nullable()),
  /** Where a message would go, and why, without calling a model. `model` as in chat.send; default Auto. */
  'routing.preview': call(
    z.object({ content: z.string().trim().min(1).max(400_000), model: z.string().min(3).max(300).optional() }).strict(),
    RouteDecision,
  ),
  'routing.config': call(z.object({}).strict(), RoutingConfigState),
  /** Merges `patch` into the stored one (or replaces it); refused with the first problems when invalid. */
  'routing.updateConfig': call(z.object({ patch: z.record(z.string(), z.unknown()), replace: z.boolean().optional() }).strict(), RoutingConfigState),
  /**
   * Issue #11: 👍 / 👎 on a routed reply. A 👎 teaches that similar requests need the next tier up,
   * a 👍 that the reply's tier did well; a second verdict on the same reply replaces the first.
   */
  'routing.feedback': call(
    z.object({ messageId: z.string().min(1).max(100), verdict: z.enum(['good', 'bad']) }).strict(),
    z.object({ verdict: z.enum(['good', 'bad']), learned: z.boolean() }),
  ),
  /** How much routing has learnt from outcomes on this machine (Settings → Routing). */
  'routing.learning': call(z.object({}).strict(), z.object({ outcomes: Count })),
  /** Forgets every learnt outcome; returns how many were forgotten. */
  'routing.forgetLearning': call(z.object({}).strict(), z.object({ forgotten: Count })),
  'budget.state': call(z.object({}).strict(), BudgetState),
  'metrics.dashboard': call(z.object({ days: Days.optional() }).strict(), MetricsDashboard),
  /** Per-request records in seed 000's llm-performance.json shape, oldest first. */
  'metrics.export': call(z.object({ days: Days.optional() }).strict(), z.object({ fileName: z.string(), entries: z.array(LlmPerformanceEntry) })),
  /** Recent outbound requests, newest first (allowed and refused). */
  'network.log': call(z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(), z.array(OutboundEntry)),
};

export const routingEvents = {
  /** The budget level changed (after a reply, or when the budgets were edited). */
  'budget.changed': z.object({ budget: BudgetState }),
  /** An outbound request was sent or refused. */
  'network.request': z.object({ entry: OutboundEntry }),
};
