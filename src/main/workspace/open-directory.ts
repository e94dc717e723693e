import path from 'node:path';
import type { Workspace } from '../../shared/contract';
import type { ContextProvider } from './context-pack';
import type { WorkspaceService } from './workspace-service';

/**
 * The CLI's `--workspace DIR` (the `code` command): opens and indexes a folder the user named in
 * their own shell (relative paths from the current directory; no allowed-root check, which guards
 * the browser) and hands back the ContextProvider and the budget in force.
 */
export async function openWorkspaceDirectory(
  workspaces: WorkspaceService,
  dir: string,
  options: { cwd?: string; conversationId?: string; signal?: AbortSignal } = {},
): Promise<{ workspace: Workspace; provider: ContextProvider; budgetBytes: number }> {
  const absolute = path.resolve(options.cwd ?? process.cwd(), dir);
  const workspace = await workspaces.open(absolute, { checkAllowedRoot: false, conversationId: options.conversationId, signal: options.signal });
  return { workspace, provider: workspaces.provider, budgetBytes: workspaces.settings().contextBudgetBytes };
}
