import type { SerializedError } from '../../shared/errors';
import type { Usage } from '../runner';
import type { BordaRow } from './borda';
import type { CouncilPool } from './pools';

export type CouncilMode = 'synthesis' | 'consensus';
export type CouncilStage = 'generation' | 'review' | 'synthesis';

/**
 * What became of one member in stage 1: `cut-off` = still working when enough answers were in (its
 * request was aborted), `cancelled` = the user stopped the whole run.
 */
export type MemberStatus = 'answered' | 'cut-off' | 'failed' | 'timeout' | 'cancelled';

export interface Vote {
  verdict: string;
  reason: string;
}

/** One model's part in stage 1, and the numbers the seeds' llm-performance record keeps. */
export interface MemberResponse {
  model: string;
  status: MemberStatus;
  /** The answer, or what a cut-off / timed-out member had streamed so far (never used downstream). */
  text: string;
  /** Consensus mode: the parsed vote. */
  vote: Vote | null;
  startedAt: number;
  /** Request sent → answer complete (or → cut-off / timeout). */
  latencyMs: number;
  firstTokenMs: number | null;
  usage: Usage | null;
  costUsd: number | null;
  attempts: number;
  /** Set when the runner fell back to another model for this member. */
  servedBy: string | null;
  error: SerializedError | null;
  /** 1 = first to settle. */
  settledOrder: number;
}

export interface ReviewRecord {
  reviewer: string;
  status: 'ranked' | 'dropped';
  /** The order and labels this reviewer saw; its own answer is never among them. */
  shown: Array<{ label: string; model: string }>;
  /** Best first, as labels and as the models behind them. */
  ranking: string[];
  rankingModels: string[];
  reasons: string;
  /** Why a dropped reviewer was dropped. */
  note: string | null;
  attempts: number;
  latencyMs: number;
  usage: Usage | null;
  costUsd: number | null;
}

export interface ReviewStage {
  skipped: boolean;
  reason: string | null;
  reviews: ReviewRecord[];
  /** Borda count over the valid rankings, best first (empty when skipped or all dropped). */
  ranking: BordaRow[];
}

export interface SynthesisRecord {
  model: string;
  status: 'answered' | 'failed' | 'timeout' | 'cancelled';
  text: string;
  latencyMs: number;
  firstTokenMs: number | null;
  usage: Usage | null;
  costUsd: number | null;
  error: SerializedError | null;
}

export type ConsensusOutcome = 'unanimous' | 'majority' | 'split';

export interface ConsensusVerdict {
  outcome: ConsensusOutcome;
  /** The agreed option; null on a split. */
  verdict: string | null;
  /** Votes per option, over valid votes only. */
  tally: Record<string, number>;
  votes: number;
  /** Share of the valid votes behind the leading option. */
  agreement: number;
  /** Votes against the verdict (on a split: against the leading option), with their reasons. */
  dissent: Array<{ model: string; verdict: string; reason: string }>;
}

export type CouncilRunStatus = 'completed' | 'failed' | 'cancelled';

export interface CouncilRecord {
  id: string;
  question: string;
  mode: CouncilMode;
  pool: CouncilPool;
  models: string[];
  minResponses: number;
  perModelTimeoutMs: number;
  chairman: string | null;
  status: CouncilRunStatus;
  /** What to show the user: the synthesis, or the verdict with its reasons. */
  answer: string;
  responses: MemberResponse[];
  review: ReviewStage | null;
  synthesis: SynthesisRecord | null;
  verdict: ConsensusVerdict | null;
  /** Plain-language notes on anything that departed from the plan (cut-offs, dropped reviewers…). */
  notes: string[];
  startedAt: number;
  finishedAt: number;
  wallMs: number;
  /** Stage 1 only: from start until enough answers were in. */
  generationMs: number;
  totalCostUsd: number | null;
  error: SerializedError | null;
}

/** Progress of a run, for the lead to map onto contract events. */
export type CouncilEvent =
  | { type: 'stage'; runId: string; stage: CouncilStage; state: 'started' | 'done' | 'skipped'; note?: string }
  | { type: 'answer-delta'; runId: string; model: string; text: string }
  | { type: 'member-done'; runId: string; model: string; status: MemberStatus; latencyMs: number }
  | { type: 'review-done'; runId: string; reviewer: string; status: 'ranked' | 'dropped'; note: string | null }
  | { type: 'synthesis-delta'; runId: string; model: string; text: string }
  | { type: 'council-done'; runId: string; status: CouncilRunStatus; wallMs: number };
