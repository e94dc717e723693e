import { create } from 'zustand';
import type { KvCacheType, ModelsOverview, PullJob } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

/** Ollama resolves names case-insensitively and adds `:latest` when there is no tag. */
export function modelKey(name: string): string {
  const n = name.trim().toLowerCase();
  return n.slice(n.lastIndexOf('/') + 1).includes(':') ? n : `${n}:latest`;
}

export function isActivePull(job: PullJob | undefined): boolean {
  return job?.state === 'pulling' || job?.state === 'retrying';
}

interface LocalModelsState {
  overview: ModelsOverview | null;
  loading: boolean;
  error: string | null;
  /** A failed pull/delete/start, shown above the tables. */
  actionError: string | null;
  contextLength: number;
  kvCacheType: KvCacheType;
  /** The newest pull of each model, by modelKey. */
  pulls: Record<string, PullJob>;
  load(): Promise<void>;
  setParams(params: { contextLength?: number; kvCacheType?: KvCacheType }): void;
  loadPulls(): Promise<void>;
  pull(model: string): Promise<void>;
  cancel(jobId: string): Promise<void>;
  remove(model: string): Promise<boolean>;
  applyPull(job: PullJob): void;
  clearActionError(): void;
}

let loadSeq = 0;

export const useLocalModels = create<LocalModelsState>((set, get) => ({
  overview: null,
  loading: false,
  error: null,
  actionError: null,
  contextLength: 8192,
  kvCacheType: 'f16',
  pulls: {},
  async load() {
    const seq = ++loadSeq;
    set({ loading: true });
    try {
      const { contextLength, kvCacheType } = get();
      const overview = await client().invoke('localModels.overview', { contextLength, kvCacheType });
      // A slider dragged quickly sends several loads: only the newest answer counts.
      if (seq === loadSeq) set({ overview, loading: false, error: null });
    } catch (error) {
      if (seq === loadSeq) set({ loading: false, error: errorText(error) });
    }
  },
  setParams(params) {
    set(params);
    void get().load();
  },
  async loadPulls() {
    try {
      const jobs = await client().invoke('localModels.pulls', {});
      const pulls: Record<string, PullJob> = {};
      // Newest first: keep the first seen per model.
      for (const job of jobs) pulls[modelKey(job.model)] ??= job;
      set({ pulls });
    } catch (error) {
      set({ actionError: errorText(error) });
    }
  },
  async pull(model) {
    try {
      const job = await client().invoke('localModels.pull', { model });
      get().applyPull(job);
      set({ actionError: null });
    } catch (error) {
      set({ actionError: errorText(error) });
    }
  },
  async cancel(jobId) {
    try {
      await client().invoke('localModels.cancelPull', { id: jobId });
    } catch (error) {
      set({ actionError: errorText(error) });
    }
  },
  async remove(model) {
    try {
      await client().invoke('localModels.delete', { model });
      set({ actionError: null });
      await get().load();
      return true;
    } catch (error) {
      set({ actionError: errorText(error) });
      return false;
    }
  },
  applyPull(job) {
    const key = modelKey(job.model);
    const current = get().pulls[key];
    // Events of an older pull of the same model must not overwrite a newer one.
    if (current && current.id !== job.id && current.startedAt > job.startedAt) return;
    if (current && current.id === job.id && current.updatedAt > job.updatedAt) return;
    set({ pulls: { ...get().pulls, [key]: job } });
  },
  clearActionError() {
    set({ actionError: null });
  },
}));
