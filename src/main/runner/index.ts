export { collectReply, type CollectedReply, type ModelRunner, type RunRequest, type RunTimeouts } from './model-runner';
export { addUsage, callOnce, type CallOnceOptions, type CallProgress, type CallReply } from './call-once';
export { askJson, type AskJsonOptions, type AskJsonResult, type SetTimer } from './ask-json';
export { extractJson, toJsonSchema, zodIssues } from './extract-json';
export type { ChatMessage, ChatOptions, ChatProvider, ChatRequest, EmbedRequest, FinishReason, RateLimitObserver, StreamPart, Usage } from './chat-provider';
export { costFor, sumCosts, type CostOf } from './call-cost';
export { startBounded, type Bounded, type BoundedRun, type BoundedStatus } from './bounded-run';
