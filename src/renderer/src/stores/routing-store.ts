import { create } from 'zustand';
import type { BudgetState, DecisionRecord, EventPayload, Message } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

export type LiveAttempt = Omit<EventPayload<'chat.attempt'>, 'conversationId' | 'messageId'>;

interface RoutingState {
  budget: BudgetState | null;
  /** Attempts of replies seen streaming in this session, by message id (escalations show live). */
  attempts: Record<string, LiveAttempt[]>;
  /** Decision records fetched for the "Why this model?" panel. */
  decisions: Record<string, DecisionRecord | null>;
  decisionError: string | null;
  loadBudget(): Promise<void>;
  applyBudget(budget: BudgetState): void;
  applyAttempt(payload: EventPayload<'chat.attempt'>): void;
  /** A reply finished: spend moved, and its record may now be complete. */
  applyMessage(message: Message): void;
  loadDecision(messageId: string): Promise<void>;
}

export const useRouting = create<RoutingState>((set, get) => ({
  budget: null,
  attempts: {},
  decisions: {},
  decisionError: null,
  async loadBudget() {
    try {
      set({ budget: await client().invoke('budget.state', {}) });
    } catch {
      // The banner is a convenience: without it, replies still say why they were routed as they were.
      set({ budget: null });
    }
  },
  applyBudget(budget) {
    set({ budget });
  },
  applyAttempt({ messageId, conversationId: _c, ...attempt }) {
    set((s) => {
      // Attempt 1 starts a reply afresh (a regenerated reply reuses its message id).
      const list = attempt.attempt === 1 ? [] : (s.attempts[messageId] ?? []).filter((a) => a.attempt !== attempt.attempt);
      return { attempts: { ...s.attempts, [messageId]: [...list, attempt].sort((a, b) => a.attempt - b.attempt) } };
    });
  },
  applyMessage(message) {
    if (message.role !== 'assistant' || message.status === 'streaming') return;
    if (message.id in get().decisions) {
      set((s) => {
        const { [message.id]: _stale, ...rest } = s.decisions;
        return { decisions: rest };
      });
    }
    void get().loadBudget();
  },
  async loadDecision(messageId) {
    set({ decisionError: null });
    try {
      const record = await client().invoke('routing.decision', { messageId });
      set((s) => ({ decisions: { ...s.decisions, [messageId]: record } }));
    } catch (error) {
      set({ decisionError: errorText(error) });
    }
  },
}));
