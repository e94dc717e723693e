import { create } from 'zustand';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

interface RoutingLearningState {
  outcomes: number | null;
  note: string | null;
  error: string | null;
  load(): Promise<void>;
  forget(): Promise<void>;
}

/** Settings → Routing → What routing has learnt (issue #11). */
export const useRoutingLearning = create<RoutingLearningState>((set) => ({
  outcomes: null,
  note: null,
  error: null,
  async load() {
    try {
      set({ outcomes: (await client().invoke('routing.learning', {})).outcomes, error: null });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async forget() {
    try {
      const { forgotten } = await client().invoke('routing.forgetLearning', {});
      set({ outcomes: 0, error: null, note: `Forgot ${forgotten} outcome${forgotten === 1 ? '' : 's'}: routing starts from its trained estimate again.` });
    } catch (error) {
      set({ error: errorText(error), note: null });
    }
  },
}));
