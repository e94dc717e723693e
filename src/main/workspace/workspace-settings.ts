import type { WorkspaceSettingsInput } from '../../shared/contract';

/** Seed 002, Context Minimization: "Send only relevant file excerpts (~5-20KB)"; the upper end by default. */
export const DEFAULT_CONTEXT_BUDGET_BYTES = 20_000;

export interface WorkspaceSettingsState {
  allowedRoots: string[];
  contextBudgetBytes: number;
}

/** Settings → Workspace over its defaults (no allowed root: headless mode opens nothing until one is set). */
export function workspaceSettings(stored: WorkspaceSettingsInput | undefined): WorkspaceSettingsState {
  return { allowedRoots: stored?.allowedRoots ?? [], contextBudgetBytes: stored?.contextBudgetBytes ?? DEFAULT_CONTEXT_BUDGET_BYTES };
}
