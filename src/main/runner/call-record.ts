import type { CallPurpose, Tier } from '../../shared/contract';

export type CallStatus = 'ok' | 'error' | 'cancelled';

/** One model call (one attempt of a reply), as the reliability layer reports it. */
export interface CallRecord {
  id?: string;
  messageId: string | null;
  modelId: string;
  provider: string;
  tier: Tier;
  startedAt: number;
  firstTokenAt: number | null;
  endedAt: number;
  status: CallStatus;
  errorCode: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  /**
   * A paid model whose price nobody knows yet (issue #15, migration 11): `costUsd` is 0 for want of
   * a price, not because the call was free. Absent: false.
   */
  costUnknown?: boolean;
  /** Tokens (and so cost) counted by us because the provider reported none. */
  estimated: boolean;
  /** 1 for the first try of this model in a reply, 2+ for retries. */
  attempt: number;
  /** The model this reply fell back from, when it did. */
  fallbackFrom: string | null;
  /** What the call was for (migration 8); rows from before it read `other`. */
  purpose: CallPurpose;
}

/** Where the reliability layer sends its call records (the CallRecorder, or a test array). */
export interface CallSink {
  record(call: CallRecord): void;
}
