import { create } from 'zustand';
import type { MetricsDashboard } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

interface DashboardState {
  data: MetricsDashboard | null;
  days: number;
  loading: boolean;
  error: string | null;
  exported: string | null;
  /** The Dashboard is on screen: finished replies refresh it (issue #14), no polling. */
  shown: boolean;
  setShown(shown: boolean): void;
  /** A reply finished (its calls and decision are recorded): reload once the burst settles. */
  replyFinished(): void;
  load(days?: number): Promise<void>;
  /** Downloads seed 000's llm-performance.json for the shown period. */
  exportJson(): Promise<void>;
}

/** Replies that finish together (a council, an escalation) refresh the Dashboard once. */
const LIVE_REFRESH_MS = 400;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;

export const useDashboard = create<DashboardState>((set, get) => ({
  data: null,
  shown: false,
  setShown(shown) {
    set({ shown });
  },
  replyFinished() {
    if (!get().shown || refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      if (get().shown) void get().load();
    }, LIVE_REFRESH_MS);
  },
  days: 14,
  loading: false,
  error: null,
  exported: null,
  async load(days = get().days) {
    set({ loading: true, days });
    try {
      set({ data: await client().invoke('metrics.dashboard', { days }), loading: false, error: null });
    } catch (error) {
      set({ loading: false, error: errorText(error) });
    }
  },
  async exportJson() {
    try {
      const { fileName, entries } = await client().invoke('metrics.export', { days: get().days });
      // A Blob and a link with `download`: works the same in Electron and in a browser (headless mode).
      const url = URL.createObjectURL(new Blob([`${JSON.stringify(entries, null, 2)}\n`], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      set({ exported: `Exported ${entries.length} request${entries.length === 1 ? '' : 's'} to ${fileName}.`, error: null });
    } catch (error) {
      set({ error: errorText(error), exported: null });
    }
  },
}));
