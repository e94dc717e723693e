export { CallRecorder, LATENCY_SAMPLE, purposeSpend, type ModelLatency, type PurposeSpend } from './call-recorder';
export { CallRollups, bucketStart, type CallGroup, type DecisionGroup } from './call-rollups';
export { SpendTotals } from './spend-totals';
