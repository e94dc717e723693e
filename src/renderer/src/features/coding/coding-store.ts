import { create } from 'zustand';
import type { CodingRunView } from '../../../../shared/contract';
import { client } from '../../client/switchboard-client';
import { errorText } from '../../stores/errors';

interface CodingState {
  run: CodingRunView | null;
  busy: boolean;
  /** A stop was asked for and the run has not ended yet. */
  stopping: boolean;
  error: string | null;
  start(input: { root: string; task: string; model?: string; allowCommands: boolean; allowDirty: boolean }): Promise<void>;
  review(path: string, decision: 'accepted' | 'rejected', hunk?: number): Promise<void>;
  undo(): Promise<void>;
  /** Stops the running task: its commands are killed and its edit rolled back. */
  stop(): Promise<void>;
  /** Shows the newest run (after a reload or a restart) unless a run is already open. */
  loadLatest(): Promise<void>;
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
    stopping: false,
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
    stop: async () => {
      const run = get().run;
      if (!run || run.status !== 'running' || get().stopping) return;
      set({ stopping: true, error: null });
      try {
        const stopped = await client().invoke('coding.cancel', { runId: run.id });
        if (get().run?.id === stopped.id) set({ run: stopped });
      } catch (error) {
        set({ error: errorText(error) });
      } finally {
        set({ stopping: false });
      }
    },
    loadLatest: async () => {
      try {
        const { run } = await client().invoke('coding.latest', {});
        if (run && !get().run) set({ run: latest.get(run.id) ?? run });
      } catch (error) {
        set({ error: errorText(error) });
      }
    },
    applyUpdated: (run) => {
      latest.set(run.id, run);
      if (get().run?.id === run.id) set({ run });
    },
    clearError: () => set({ error: null }),
  };
});
