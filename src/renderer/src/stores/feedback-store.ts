import { create } from 'zustand';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

export type Verdict = 'good' | 'bad';

interface FeedbackState {
  /** 👍 / 👎 given in this session, by assistant message id. */
  verdicts: Record<string, Verdict>;
  /** What the last verdict did, or why it failed, by message id. */
  notes: Record<string, { text: string; error: boolean }>;
  give(messageId: string, verdict: Verdict): Promise<void>;
}

/** Issue #11: a verdict on a reply is a label routing learns from (routing.feedback, stored on this machine). */
export const useFeedback = create<FeedbackState>((set) => ({
  verdicts: {},
  notes: {},
  async give(messageId, verdict) {
    try {
      const out = await client().invoke('routing.feedback', { messageId, verdict });
      const text = !out.learned
        ? 'Thanks. Nothing to learn here: a paid model already answered.'
        : verdict === 'good'
          ? 'Thanks: similar requests will keep starting on this tier.'
          : 'Thanks: similar requests will start on a stronger tier.';
      set((s) => ({ verdicts: { ...s.verdicts, [messageId]: verdict }, notes: { ...s.notes, [messageId]: { text, error: false } } }));
    } catch (error) {
      set((s) => ({ notes: { ...s.notes, [messageId]: { text: errorText(error), error: true } } }));
    }
  },
}));
