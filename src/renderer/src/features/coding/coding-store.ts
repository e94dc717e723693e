import { create } from 'zustand';
import type { CodingRunView } from '../../../../shared/contract';
import { client } from '../../client/switchboard-client';
import { errorText } from '../../stores/errors';

interface CodingState {
  run: CodingRunView | null;
  busy: boolean;
  error: string | null;
  start(input: { root: string; task: string; model?: string; allowCommands: boolean; allowDirty: boolean }): Promise<void>;
  review(path: string, decision: 'accepted' | 'rejected', hunk?: number): Promise<void>;
  undo(): Promise<void>;
  applyUpdated(run: CodingRunView): void;
  clearError(): void;
}

/** The coding panel's run (issue #12): started here, followed by `coding.updated` events. */
export const useCoding = create<CodingState>((set, get) => {
  /** The newest view of each run seen on the event stream: an update can arrive before the call that started the run returns. */
  const latest = new Map<string, CodingRunView>();
  const act = async (fn: () => Promise<CodingRunView>): Promise<void> => {
    set({ busy: true, error: null });
    try {
      const run = await fn();
      const seen = latest.get(run.id);
      set({ run: seen && run.status === 'running' && seen.status !== 'running' ? seen : run });
    } catch (error) {
      set({ error: errorText(error) });
    } finally {
      set({ busy: false });
    }
  };
  return {
    run: null,
    busy: false,
    error: null,
    start: (input) => act(() => client().invoke('coding.run', { root: input.root, task: input.task, model: input.model || undefined, allowCommands: input.allowCommands, allowDirty: input.allowDirty })),
    review: (path, decision, hunk) => {
      const run = get().run;
      return run ? act(() => client().invoke('coding.review', { runId: run.id, path, decision, hunk })) : Promise.resolve();
    },
    undo: () => {
      const run = get().run;
      return run ? act(() => client().invoke('coding.undo', { runId: run.id })) : Promise.resolve();
    },
    applyUpdated: (run) => {
      latest.set(run.id, run);
      if (get().run?.id === run.id) set({ run });
    },
    clearError: () => set({ error: null }),
  };
});
