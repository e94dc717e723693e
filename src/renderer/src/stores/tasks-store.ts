import { create } from 'zustand';
import type { AvailableModel, TaskGraphSummary, TaskGraphView } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { isFree } from '../components/cost-estimate-format';
import { errorText } from './errors';

/** A plan being written or reviewed before it runs. */
export interface PlanDraft {
  /** Changes when a new plan replaces the one on screen. */
  id: number;
  request: string;
  /** The plan as the user edits it (may be invalid). */
  plan: unknown;
  plannerModel: string | null;
  planningCostUsd: number | null;
}

interface TasksState {
  plannerModel: string | null;
  plannerReason: string;
  models: AvailableModel[];
  graphs: TaskGraphSummary[];
  graph: TaskGraphView | null;
  /** Streamed text of running tasks of the open graph (key '' = the final answer); a new attempt starts afresh. */
  deltas: Record<string, { attempt: number; text: string }>;
  draft: PlanDraft | null;
  planningId: string | null;
  busy: boolean;
  error: string | null;
  load(): Promise<void>;
  plan(request: string, model: string | null): Promise<void>;
  cancelPlan(): Promise<void>;
  setDraft(draft: PlanDraft | null): void;
  /** Stores the draft as a graph and runs it at once when it costs nothing; else it waits, with its estimate, for Run. */
  run(): Promise<void>;
  /** Runs a stored graph, or continues a stopped one; `synthesisModel` picks who writes the final answer. */
  start(graphId: string, synthesisModel?: string): Promise<void>;
  open(graphId: string | null): Promise<void>;
  cancel(): Promise<void>;
  rerun(taskId: string, options: { model?: string; higher?: boolean; synthesisModel?: string }): Promise<void>;
  remove(graphId: string): Promise<void>;
  applyUpdated(graph: TaskGraphView): void;
  applyDelta(delta: { graphId: string; taskId: string | null; attempt: number; text: string }): void;
  clearError(): void;
}

const summaryOf = ({ tasks: _t, metrics: _m, runStartedAt: _r, version: _v, ...rest }: TaskGraphView): TaskGraphSummary => rest;

export const useTasks = create<TasksState>((set, get) => ({
  plannerModel: null,
  plannerReason: '',
  models: [],
  graphs: [],
  graph: null,
  deltas: {},
  draft: null,
  planningId: null,
  busy: false,
  error: null,
  async load() {
    try {
      const [options, catalog, graphs] = await Promise.all([client().invoke('tasks.options', {}), client().invoke('providers.catalog', {}), client().invoke('tasks.list', {})]);
      set({ plannerModel: options.plannerModel, plannerReason: options.reason, models: catalog.filter((m) => m.available), graphs, error: null });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async plan(request, model) {
    const planId = `plan-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    set({ planningId: planId, error: null });
    try {
      const r = await client().invoke('tasks.plan', { request, planId, ...(model ? { model } : {}) });
      if (get().planningId === planId) set({ draft: { id: Date.now(), request, plan: r.plan, plannerModel: r.model, planningCostUsd: r.costUsd }, graph: null });
    } catch (error) {
      if (get().planningId === planId) set({ error: errorText(error) });
    } finally {
      if (get().planningId === planId) set({ planningId: null });
    }
  },
  async cancelPlan() {
    const id = get().planningId;
    set({ planningId: null });
    if (id) await client().invoke('tasks.cancelPlan', { planId: id }).catch(() => undefined);
  },
  setDraft(draft) {
    set({ draft, ...(draft ? { graph: null } : {}) });
  },
  async run() {
    const draft = get().draft;
    if (!draft) return;
    set({ busy: true, error: null });
    try {
      const created = await client().invoke('tasks.create', {
        request: draft.request || 'Hand-written plan', plan: draft.plan, plannerModel: draft.plannerModel, planningCostUsd: draft.planningCostUsd,
      });
      set({ graph: created, deltas: {}, draft: null });
      get().applyUpdated(created); // into the history, also when it waits for Run
      // Issue #10: a graph that needs a paid model shows what it would cost before anything starts.
      const estimate = await client().invoke('tasks.estimate', { graphId: created.id });
      if (!isFree(estimate) || estimate.refusal) return;
      const running = await client().invoke('tasks.run', { graphId: created.id });
      get().applyUpdated(running);
    } catch (error) {
      set({ error: errorText(error) });
    } finally {
      set({ busy: false });
    }
  },
  async start(graphId, synthesisModel) {
    set({ busy: true, error: null });
    try {
      get().applyUpdated(await client().invoke('tasks.run', { graphId, ...(synthesisModel ? { synthesisModel } : {}) }));
    } catch (error) {
      set({ error: errorText(error) });
    } finally {
      set({ busy: false });
    }
  },
  async open(graphId) {
    if (!graphId) {
      set({ graph: null, deltas: {} });
      return;
    }
    try {
      const graph = await client().invoke('tasks.get', { graphId });
      set({ graph, deltas: {}, draft: null, error: null });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async cancel() {
    const graph = get().graph;
    if (graph) await client().invoke('tasks.cancel', { graphId: graph.id }).catch((error: unknown) => set({ error: errorText(error) }));
  },
  async rerun(taskId, options) {
    const graph = get().graph;
    if (!graph) return;
    set({ busy: true, error: null });
    try {
      get().applyUpdated(await client().invoke('tasks.rerun', { graphId: graph.id, taskId, ...options }));
    } catch (error) {
      set({ error: errorText(error) });
    } finally {
      set({ busy: false });
    }
  },
  async remove(graphId) {
    try {
      await client().invoke('tasks.delete', { graphId });
      set({ graphs: get().graphs.filter((g) => g.id !== graphId), ...(get().graph?.id === graphId ? { graph: null } : {}) });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  applyUpdated(graph) {
    // A reply computed before an event that overtook it on the way must not undo that event.
    const current = get().graph;
    if (current?.id === graph.id && current.version > graph.version) return;
    const graphs = [summaryOf(graph), ...get().graphs.filter((g) => g.id !== graph.id)].sort((a, b) => b.createdAt - a.createdAt);
    if (get().graph?.id !== graph.id) {
      set({ graphs });
      return;
    }
    // A task that (re)started streams afresh; a finished one shows its saved output.
    const deltas = { ...get().deltas };
    for (const t of graph.tasks) if (t.status !== 'running') delete deltas[t.id];
    if (graph.status !== 'running') delete deltas[''];
    set({ graphs, graph, deltas });
  },
  applyDelta({ graphId, taskId, attempt, text }) {
    if (get().graph?.id !== graphId) return;
    const key = taskId ?? '';
    const current = get().deltas[key];
    const before = current && current.attempt === attempt ? current.text : '';
    set({ deltas: { ...get().deltas, [key]: { attempt, text: before + text } } });
  },
  clearError() {
    set({ error: null });
  },
}));
