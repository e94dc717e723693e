/**
 * The council's records have one definition, the zod schemas in src/shared/contract/parallel-types.ts
 * (issue #10): they are what `council.get` and `council.finished` carry. The council library keeps
 * its own names for them here.
 */
export type {
  ConsensusOutcome,
  CouncilVerdict as ConsensusVerdict,
  CouncilProgress as CouncilEvent,
  CouncilModeName as CouncilMode,
  CouncilRun as CouncilRecord,
  CouncilStatus as CouncilRunStatus,
  CouncilStageName as CouncilStage,
  CouncilMember as MemberResponse,
  CouncilMemberStatus as MemberStatus,
  CouncilReview as ReviewRecord,
  CouncilReviewStage as ReviewStage,
  CouncilSynthesis as SynthesisRecord,
  CouncilVote as Vote,
} from '../../shared/contract';
