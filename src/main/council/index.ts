// The council (issue #7): several models answer in parallel, review each other anonymously, and a
// chairman writes the answer; or they vote. Seeds 000, 001 and 004.
export { runCouncil, type RunCouncilInput } from './run-council';
export { CouncilRepo, type CouncilRunSummary } from './council-repo';
export { toPerformanceEntry, verdictCode, type PerformanceEntry } from './performance-log';
export { COUNCIL_POOLS, DEFAULT_POOL_TIMEOUTS_MS, poolTimeoutMs, type CouncilPool } from './pools';
export { bordaCount, type BordaRow } from './borda';
export { DEFAULT_VERDICT_OPTIONS, MAJORITY_THRESHOLD, describeVerdict, tallyVotes } from './consensus';
export { MIN_ANSWERS_FOR_REVIEW } from './review';
export { seededRandom, shuffled, type Random } from './random';
export type {
  ConsensusOutcome, ConsensusVerdict, CouncilEvent, CouncilMode, CouncilRecord, CouncilRunStatus, CouncilStage, MemberResponse,
  MemberStatus, ReviewRecord, ReviewStage, SynthesisRecord, Vote,
} from './types';

// App wiring: council runs in the background with progress, cancel and history.
export { CouncilService, type CouncilStart } from './council-service';
export { estimateCouncil } from './council-estimate';

// For tests and the bench: a ModelRunner that plays scripted replies with real delays.
export { ScriptedRunner, type ScriptedCall, type ScriptedReply, type Script } from './scripted-runner';
