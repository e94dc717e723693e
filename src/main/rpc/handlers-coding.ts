import type { CodingService } from '../coding';
import type { WorkspaceService } from '../workspace';
import type { DomainHandlers } from './dispatcher';

/**
 * `coding.*`: the coding workspace's runs, their review and undo (issue #12). A folder typed in the
 * app must lie under an allowed root of Settings → Workspace, as for `workspaces.open`; the CLI (the
 * user's own shell) needs none.
 */
export function buildCodingHandlers(coding: CodingService, workspaces: Pick<WorkspaceService, 'assertAllowedRoot'>): DomainHandlers<'coding'> {
  /** A run's folder is held to the same rule as a typed one: the browser sees and changes only runs under an allowed root. */
  const checkRun = (runId: string, ctx: { transport: string }): void => {
    if (ctx.transport !== 'cli') workspaces.assertAllowedRoot(coding.get(runId).root);
  };
  const allowed = (root: string): boolean => {
    try {
      workspaces.assertAllowedRoot(root);
      return true;
    } catch {
      return false;
    }
  };
  return {
    'coding.run': ({ root, task, model, allowCommands, allowDirty }, ctx) => {
      if (ctx.transport !== 'cli') workspaces.assertAllowedRoot(root);
      return coding.start({ root, task, model, allowCommands, allowDirty });
    },
    'coding.get': ({ runId }, ctx) => {
      checkRun(runId, ctx);
      return coding.get(runId);
    },
    'coding.review': ({ runId, path, hunk, decision }, ctx) => {
      checkRun(runId, ctx);
      return coding.review(runId, path, decision, hunk);
    },
    'coding.undo': ({ runId }, ctx) => {
      checkRun(runId, ctx);
      return coding.undo(runId);
    },
    'coding.cancel': ({ runId }, ctx) => {
      checkRun(runId, ctx);
      return coding.cancel(runId);
    },
    'coding.latest': (_input, ctx) => ({ run: coding.latest(ctx.transport === 'cli' ? undefined : allowed) }),
    'coding.workspaceSettings': ({ root }, ctx) => {
      if (ctx.transport !== 'cli') workspaces.assertAllowedRoot(root);
      return coding.workspaceSettings(root);
    },
    'coding.setWorkspaceSettings': (input, ctx) => {
      if (ctx.transport !== 'cli') workspaces.assertAllowedRoot(input.root);
      return coding.setWorkspaceSettings(input);
    },
    'coding.allowCommands': ({ root }, ctx) => {
      if (ctx.transport !== 'cli') workspaces.assertAllowedRoot(root);
      return coding.allowCommands(root);
    },
  };
}
