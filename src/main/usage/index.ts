export { CallRecorder, type CallRecord, type CallSink, type CallStatus, type ModelLatency, type PurposeSpend } from './call-recorder';
export { callMetrics, percentile, type CallMetrics, type CallTiming } from './call-metrics';
export { costOf } from './cost';
export { estimatePromptTokens, estimateTextTokens, estimateUsage } from './estimate-tokens';
export { SpendTotals } from './spend-totals';
