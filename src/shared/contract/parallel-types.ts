import { z } from 'zod';
import { SerializedError } from '../errors';
import { BudgetStatus, TokenUsage } from './routing-types';
import { Tier } from './system';

/**
 * Wire shapes of council runs and task graphs (issue #7). The main process builds these values
 * (src/main/council, src/main/tasks); the renderer and the CLI read them.
 */

// ---- Council ----
export const COUNCIL_POOL_NAMES = ['quick', 'balanced', 'high', 'reasoning'] as const;
export const CouncilPoolName = z.enum(COUNCIL_POOL_NAMES);
export type CouncilPoolName = z.infer<typeof CouncilPoolName>;
export const CouncilModeName = z.enum(['synthesis', 'consensus']);
export type CouncilModeName = z.infer<typeof CouncilModeName>;
/**
 * What became of one member in stage 1: `cut-off` = still working when enough answers were in (its
 * request was aborted), `cancelled` = the user stopped the whole run.
 */
export const CouncilMemberStatus = z.enum(['answered', 'cut-off', 'failed', 'timeout', 'cancelled']);
export type CouncilMemberStatus = z.infer<typeof CouncilMemberStatus>;
export const CouncilStatus = z.enum(['completed', 'failed', 'cancelled']);
export type CouncilStatus = z.infer<typeof CouncilStatus>;
export const CouncilStageName = z.enum(['generation', 'review', 'synthesis']);
export type CouncilStageName = z.infer<typeof CouncilStageName>;

/** A member's vote in consensus mode. */
export const CouncilVote = z.object({ verdict: z.string(), reason: z.string() });
export type CouncilVote = z.infer<typeof CouncilVote>;

/** One model's part in stage 1, and the numbers the seeds' llm-performance record keeps. */
export const CouncilMember = z.object({
  model: z.string(),
  status: CouncilMemberStatus,
  /** The answer, or what a cut-off / timed-out member had streamed so far (never used downstream). */
  text: z.string(),
  /** Consensus mode: the parsed vote. */
  vote: CouncilVote.nullable(),
  startedAt: z.number(),
  /** Request sent → answer complete (or → cut-off / timeout). */
  latencyMs: z.number(),
  firstTokenMs: z.number().nullable(),
  usage: TokenUsage.nullable(),
  costUsd: z.number().nullable(),
  attempts: z.number(),
  /** Set when the runner fell back to another model for this member. */
  servedBy: z.string().nullable(),
  error: SerializedError.nullable(),
  /** 1 = first to settle. */
  settledOrder: z.number(),
});
export type CouncilMember = z.infer<typeof CouncilMember>;

export const CouncilReview = z.object({
  reviewer: z.string(),
  status: z.enum(['ranked', 'dropped']),
  /** The order and labels this reviewer saw; its own answer is never among them. */
  shown: z.array(z.object({ label: z.string(), model: z.string() })),
  /** Best first, as labels and as the models behind them. */
  ranking: z.array(z.string()),
  rankingModels: z.array(z.string()),
  reasons: z.string(),
  /** Why a dropped reviewer was dropped. */
  note: z.string().nullable(),
  attempts: z.number(),
  latencyMs: z.number(),
  usage: TokenUsage.nullable(),
  costUsd: z.number().nullable(),
});
export type CouncilReview = z.infer<typeof CouncilReview>;

/** One candidate's row of the Borda count (src/main/council/borda.ts). */
export const BordaRanking = z.object({
  candidate: z.string(),
  /** Classic Borda points: on a ballot of m, first place gets m-1, last gets 0. */
  points: z.number(),
  /** Ballots that ranked this candidate (a reviewer never ranks its own answer). */
  ballots: z.number(),
  /** Mean of points/(m-1) over those ballots, in [0, 1]: the order is by this. */
  score: z.number(),
  rank: z.number(),
});
export type BordaRanking = z.infer<typeof BordaRanking>;

export const CouncilReviewStage = z.object({
  skipped: z.boolean(),
  reason: z.string().nullable(),
  reviews: z.array(CouncilReview),
  /** Borda count over the valid rankings, best first (empty when skipped or all dropped). */
  ranking: z.array(BordaRanking),
});
export type CouncilReviewStage = z.infer<typeof CouncilReviewStage>;

export const CouncilSynthesis = z.object({
  model: z.string(),
  status: z.enum(['answered', 'failed', 'timeout', 'cancelled']),
  text: z.string(),
  latencyMs: z.number(),
  firstTokenMs: z.number().nullable(),
  usage: TokenUsage.nullable(),
  costUsd: z.number().nullable(),
  error: SerializedError.nullable(),
});
export type CouncilSynthesis = z.infer<typeof CouncilSynthesis>;

export const ConsensusOutcome = z.enum(['unanimous', 'majority', 'split']);
export type ConsensusOutcome = z.infer<typeof ConsensusOutcome>;

export const CouncilVerdict = z.object({
  outcome: ConsensusOutcome,
  /** The agreed option; null on a split. */
  verdict: z.string().nullable(),
  /** Votes per option, over valid votes only. */
  tally: z.record(z.string(), z.number()),
  votes: z.number(),
  /** Share of the valid votes behind the leading option. */
  agreement: z.number(),
  /** Votes against the verdict (on a split: against the leading option), with their reasons. */
  dissent: z.array(z.object({ model: z.string(), verdict: z.string(), reason: z.string() })),
});
export type CouncilVerdict = z.infer<typeof CouncilVerdict>;

/** A council run's record (src/main/council builds it, council-repo stores it). */
export const CouncilRun = z.object({
  id: z.string(),
  question: z.string(),
  mode: CouncilModeName,
  pool: CouncilPoolName,
  models: z.array(z.string()),
  minResponses: z.number(),
  perModelTimeoutMs: z.number(),
  chairman: z.string().nullable(),
  status: CouncilStatus,
  /** What to show the user: the synthesis, or the verdict with its reasons. */
  answer: z.string(),
  responses: z.array(CouncilMember),
  review: CouncilReviewStage.nullable(),
  synthesis: CouncilSynthesis.nullable(),
  verdict: CouncilVerdict.nullable(),
  /** Plain-language notes on anything that departed from the plan (cut-offs, dropped reviewers…). */
  notes: z.array(z.string()),
  startedAt: z.number(),
  finishedAt: z.number(),
  wallMs: z.number(),
  /** Stage 1 only: from start until enough answers were in. */
  generationMs: z.number(),
  totalCostUsd: z.number().nullable(),
  error: SerializedError.nullable(),
});
export type CouncilRun = z.infer<typeof CouncilRun>;

export const CouncilRunSummary = z.object({
  id: z.string(),
  question: z.string(),
  mode: CouncilModeName,
  status: CouncilStatus,
  startedAt: z.number(),
  wallMs: z.number(),
  totalCostUsd: z.number().nullable(),
});
export type CouncilRunSummary = z.infer<typeof CouncilRunSummary>;

/** Progress of a run, as the council library reports it. */
export const CouncilProgress = z.discriminatedUnion('type', [
  z.object({ type: z.literal('stage'), runId: z.string(), stage: CouncilStageName, state: z.enum(['started', 'done', 'skipped']), note: z.string().optional() }),
  z.object({ type: z.literal('answer-delta'), runId: z.string(), model: z.string(), text: z.string() }),
  z.object({ type: z.literal('member-done'), runId: z.string(), model: z.string(), status: CouncilMemberStatus, latencyMs: z.number() }),
  z.object({ type: z.literal('review-done'), runId: z.string(), reviewer: z.string(), status: z.enum(['ranked', 'dropped']), note: z.string().nullable() }),
  z.object({ type: z.literal('synthesis-delta'), runId: z.string(), model: z.string(), text: z.string() }),
  z.object({ type: z.literal('council-done'), runId: z.string(), status: CouncilStatus, wallMs: z.number() }),
]);
export type CouncilProgress = z.infer<typeof CouncilProgress>;

/** A member as the UI follows it live: `waiting` (no token yet) and `streaming` come before the outcome. */
export const LiveMemberStatus = z.enum(['waiting', 'streaming', ...CouncilMemberStatus.options]);
export type LiveMemberStatus = z.infer<typeof LiveMemberStatus>;

/** A run while it runs: what the events have told so far (see src/shared/council-live.ts). */
export const CouncilLive = z.object({
  runId: z.string(),
  question: z.string(),
  mode: CouncilModeName,
  pool: CouncilPoolName,
  models: z.array(z.string()),
  minResponses: z.number(),
  perModelTimeoutMs: z.number(),
  startedAt: z.number(),
  stage: CouncilStageName,
  members: z.record(z.string(), z.object({ status: LiveMemberStatus, text: z.string(), latencyMs: z.number().nullable() })),
  reviews: z.array(z.object({ reviewer: z.string(), status: z.enum(['ranked', 'dropped']), note: z.string().nullable() })),
  synthesis: z.object({ model: z.string(), text: z.string() }).nullable(),
  stageNotes: z.array(z.string()),
});
export type CouncilLive = z.infer<typeof CouncilLive>;

export const CouncilStartInput = z
  .object({
    question: z.string().trim().min(1, 'the question is empty').max(200_000),
    models: z.array(z.string().min(3)).min(2, 'a council needs at least two models').max(12, 'at most 12 models'),
    minResponses: z.number().int().min(1),
    pool: CouncilPoolName.default('balanced'),
    /** Overrides the pool's per-model timeout. */
    perModelTimeoutMs: z.number().int().min(1_000).max(3_600_000).optional(),
    mode: CouncilModeName.default('synthesis'),
    chairman: z.string().min(3).optional(),
  })
  .strict()
  .refine((v) => new Set(v.models).size === v.models.length, { message: 'a model is listed twice', path: ['models'] })
  .refine((v) => v.minResponses <= v.models.length, { message: 'min responses cannot exceed the number of models', path: ['minResponses'] });
/** A start request after its defaults (pool, mode) are applied: what the council service takes. */
export type CouncilStart = z.output<typeof CouncilStartInput>;

/**
 * What a council run or a task graph is expected to cost, shown before it starts (issue #10). Each
 * call still reserves its own worst case as it starts; `refusal` says why a paid call would be
 * refused now (the budget is at its stop threshold), before anything runs.
 */
export const CostEstimateLine = z.object({
  /** "Answer", "Review", "Synthesis", "Plan", or a task's title. */
  label: z.string(),
  model: z.string(),
  tier: Tier,
  estimatedCostUsd: z.number(),
  /** At the output cap each call sends upstream: what the budget reserves for it. */
  maxCostUsd: z.number(),
});
export const CostEstimate = z.object({
  estimatedCostUsd: z.number(),
  maxCostUsd: z.number(),
  lines: z.array(CostEstimateLine),
  budget: BudgetStatus,
  refusal: z.string().nullable(),
});
export type CostEstimate = z.infer<typeof CostEstimate>;

// ---- Task graphs ----
export const TASK_KIND_NAMES = ['code', 'analysis', 'docs', 'test', 'research', 'other'] as const;
export const TaskKind = z.enum(TASK_KIND_NAMES);
export type TaskKind = z.infer<typeof TaskKind>;
export const TASK_COMPLEXITY_NAMES = ['trivial', 'simple', 'medium', 'complex'] as const;
export const TaskComplexity = z.enum(TASK_COMPLEXITY_NAMES);
export type TaskComplexity = z.infer<typeof TaskComplexity>;
export const TaskNodeStatus = z.enum(['pending', 'running', 'done', 'failed', 'blocked', 'cancelled']);
export type TaskNodeStatus = z.infer<typeof TaskNodeStatus>;
export const TaskGraphStatus = z.enum(['pending', 'running', 'done', 'failed', 'cancelled']);
export type TaskGraphStatus = z.infer<typeof TaskGraphStatus>;

/**
 * One task of a plan. The rules are the ones a plan is checked with on the way in (src/main/tasks
 * validate-plan.ts parses planner replies and hand-written plans with this schema).
 */
export const PlanTaskShape = z.object({
  id: z.string().trim().min(1, 'a task id cannot be empty').max(64, 'task ids are at most 64 characters'),
  title: z.string().trim().min(1, 'a task needs a title').max(200),
  instructions: z.string().trim().min(1, 'a task needs instructions'),
  kind: TaskKind,
  complexity: TaskComplexity,
  dependsOn: z.array(z.string().trim()).default([]),
});
export type PlanTaskShape = z.infer<typeof PlanTaskShape>;
/** Seed 003's "structured JSON plan": the handoff between the planner and the executors. */
export const PlanShape = z.object({
  goal: z.string().trim().min(1, 'the plan needs a goal'),
  tasks: z.array(PlanTaskShape).min(1, 'the plan has no tasks'),
});
export type PlanShape = z.infer<typeof PlanShape>;

/** Why a task runs on its model: the router's preview, a re-run's choice, and retries/escalations. */
export const TaskRoute = z.object({
  model: z.string(),
  tier: Tier,
  source: z.enum(['router', 'override', 're-evaluated']),
  reasons: z.array(z.string()),
  chain: z.array(z.string()),
  estimatedCostUsd: z.number().nullable(),
  notes: z.array(z.string()),
});
export type TaskRoute = z.infer<typeof TaskRoute>;

/** A planned task and where its execution stands, as src/main/tasks stores it (TaskNode adds the view's fields). */
export const TaskState = PlanTaskShape.extend({
  graphId: z.string(),
  seq: z.number(),
  status: TaskNodeStatus,
  /** The model of the last attempt. */
  model: z.string().nullable(),
  /** Set by a re-run "on a higher tier": used instead of the router for this task. */
  modelOverride: z.string().nullable(),
  /** Attempts of the latest execution (retry and escalations included). */
  attempts: z.number(),
  output: z.string().nullable(),
  error: SerializedError.nullable(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  durationMs: z.number().nullable(),
  /** Summed over every execution of the task, re-runs included: money spent is spent. */
  usage: TokenUsage.nullable(),
  costUsd: z.number().nullable(),
});
export type TaskState = z.infer<typeof TaskState>;

export const TaskNode = TaskState.extend({
  /** Tier of `model` (null before the task ran). */
  tier: Tier.nullable(),
  route: TaskRoute.nullable(),
});
export type TaskNode = z.infer<typeof TaskNode>;

/** Seed 003's "critical steps" view of a graph, from the recorded durations. */
export const TaskGraphMetrics = z.object({
  /** Time spent running tasks (all runs of the graph). */
  wallMs: z.number(),
  synthesisMs: z.number().nullable(),
  /** The sum of task durations: what running them one after another would have taken. */
  sequentialMs: z.number(),
  /** The longest dependency chain by actual duration: no schedule can beat it. */
  criticalPath: z.object({ taskIds: z.array(z.string()), ms: z.number() }),
  /** sequentialMs / wallMs: what parallelism bought. */
  speedup: z.number().nullable(),
  /** wallMs / criticalPath.ms: scheduling overhead, 1.0 is perfect (the bench's target is ≤ 1.05). */
  overhead: z.number().nullable(),
  tasks: z.array(
    z.object({ taskId: z.string(), status: TaskNodeStatus, model: z.string().nullable(), attempts: z.number(), durationMs: z.number().nullable(), costUsd: z.number().nullable() }),
  ),
  /** Planning + tasks + synthesis, of what has a known price. */
  totalCostUsd: z.number().nullable(),
});
export type TaskGraphMetrics = z.infer<typeof TaskGraphMetrics>;

const GraphFields = {
  id: z.string(),
  request: z.string(),
  goal: z.string(),
  status: TaskGraphStatus,
  plannerModel: z.string().nullable(),
  planningCostUsd: z.number().nullable(),
  synthesisModel: z.string(),
  /** The final answer, written from every task's output. */
  answer: z.string().nullable(),
  synthesisMs: z.number().nullable(),
  synthesisCostUsd: z.number().nullable(),
  error: SerializedError.nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  finishedAt: z.number().nullable(),
  /** Time spent running tasks, summed over runs (a resumed or re-run graph adds its new stretch). */
  wallMs: z.number(),
};

/** A graph as src/main/tasks stores it; TaskGraphView is what crosses. */
export const TaskGraph = z.object({ ...GraphFields, tasks: z.array(TaskState) });
export type TaskGraph = z.infer<typeof TaskGraph>;

export const TaskGraphView = z.object({
  ...GraphFields,
  tasks: z.array(TaskNode),
  metrics: TaskGraphMetrics,
  /** True while this process is executing it. */
  running: z.boolean(),
  /** When the current run (or resume, or re-run) started; null when not running. `wallMs` adds it at the end. */
  runStartedAt: z.number().nullable(),
  /** Grows with every snapshot this process takes: a client keeps the highest (events and replies can cross). */
  version: z.number(),
});
export type TaskGraphView = z.infer<typeof TaskGraphView>;

export const TaskGraphSummary = z.object({ ...GraphFields, running: z.boolean() });
export type TaskGraphSummary = z.infer<typeof TaskGraphSummary>;
