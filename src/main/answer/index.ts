// The one answer pipeline (issue #10): cache → route → budget → gates → record, for every caller.
export { AnswerPipeline, type AnswerCachePolicy, type AnswerOutcome, type AnswerRequest } from './answer-pipeline';
export { AUTO_MODEL_ID, AUTO_SAFE_MODEL_ID, LOCAL_MODEL_ID, isRoutingMode, modeFor } from './answer-modes';
export { pipelineRunner } from './pipeline-runner';
export { ReplyCache, type ReplyKey, type ReplyLookup } from './reply-cache';
export { CostEstimator, STAGE_OVERHEAD_TOKENS, type CostEstimatorDeps, type CostLine } from './cost-estimate';
export { ParallelModels, type ParallelModelsDeps } from './parallel-models';
