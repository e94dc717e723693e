export { CallRecorder, type ModelLatency, type PurposeSpend } from './call-recorder';
export { SpendTotals } from './spend-totals';
