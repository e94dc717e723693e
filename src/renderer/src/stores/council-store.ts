import { create } from 'zustand';
import type { AvailableModel, CallInput, CouncilLive, CouncilPoolName, CouncilProgress, CouncilRun, CouncilRunSummary } from '../../../shared/contract';
import { applyCouncilProgress } from '../../../shared/council-live';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

interface CouncilState {
  poolTimeoutsMs: Record<CouncilPoolName, number> | null;
  /** Models that can be called now: installed local ones and cloud models with a key. */
  models: AvailableModel[];
  /** Catalog models that cannot run now, for "why is X missing". */
  unavailable: number;
  history: CouncilRunSummary[];
  /** Runs in progress, by id, as their events describe them. */
  live: Record<string, CouncilLive>;
  /** The run on screen: live while it runs, then its record. */
  selectedId: string | null;
  record: CouncilRun | null;
  starting: boolean;
  error: string | null;
  load(): Promise<void>;
  start(input: CallInput<'council.start'>): Promise<void>;
  cancel(runId: string): Promise<void>;
  select(id: string | null): Promise<void>;
  remove(id: string): Promise<void>;
  exportJson(): Promise<void>;
  applyStarted(live: CouncilLive): void;
  applyProgress(event: CouncilProgress): void;
  applyFinished(runId: string, record: CouncilRun | null, error: string | null): void;
}

export const useCouncil = create<CouncilState>((set, get) => ({
  poolTimeoutsMs: null,
  models: [],
  unavailable: 0,
  history: [],
  live: {},
  selectedId: null,
  record: null,
  starting: false,
  error: null,
  async load() {
    try {
      const [options, catalog, list] = await Promise.all([
        client().invoke('council.options', {}),
        client().invoke('providers.catalog', {}),
        client().invoke('council.list', {}),
      ]);
      const models = catalog.filter((m) => m.available).sort((a, b) => Number(b.tier === 'local') - Number(a.tier === 'local') || a.id.localeCompare(b.id));
      const live = { ...get().live };
      for (const l of list.active) live[l.runId] = l;
      set({ poolTimeoutsMs: options.poolTimeoutsMs, models, unavailable: catalog.length - models.length, history: list.runs, live, error: null });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async start(input) {
    set({ starting: true, error: null });
    try {
      const { runId, live } = await client().invoke('council.start', input);
      // The `council.started` event may have come first and progress after it: keep the newer view.
      set({ live: { ...get().live, [runId]: get().live[runId] ?? live }, selectedId: runId, record: null, starting: false });
    } catch (error) {
      set({ starting: false, error: errorText(error) });
    }
  },
  async cancel(runId) {
    try {
      await client().invoke('council.cancel', { runId });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async select(id) {
    set({ selectedId: id, record: null, error: null });
    if (!id || get().live[id]) return;
    try {
      const { live, record } = await client().invoke('council.get', { id });
      if (get().selectedId !== id) return;
      if (live) set({ live: { ...get().live, [id]: live } });
      set({ record });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async remove(id) {
    try {
      await client().invoke('council.delete', { id });
      set({ history: get().history.filter((r) => r.id !== id), ...(get().selectedId === id ? { selectedId: null, record: null } : {}) });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async exportJson() {
    try {
      const entries = await client().invoke('council.export', {});
      const url = URL.createObjectURL(new Blob([JSON.stringify(entries, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'llm-performance.json';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1_000);
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  applyStarted(live) {
    if (!get().live[live.runId]) set({ live: { ...get().live, [live.runId]: live } });
  },
  applyProgress(event) {
    const current = get().live[event.runId];
    if (current) set({ live: { ...get().live, [event.runId]: applyCouncilProgress(current, event) } });
  },
  applyFinished(runId, record, error) {
    const { [runId]: _done, ...live } = get().live;
    const summary: CouncilRunSummary | null = record
      ? { id: record.id, question: record.question, mode: record.mode, status: record.status, startedAt: record.startedAt, wallMs: record.wallMs, totalCostUsd: record.totalCostUsd }
      : null;
    set({
      live,
      history: summary ? [summary, ...get().history.filter((r) => r.id !== runId)] : get().history,
      ...(get().selectedId === runId ? { record, error: record ? get().error : error } : {}),
    });
  },
}));
