import type { CodingService } from '../coding';
import type { WorkspaceService } from '../workspace';
import type { DomainHandlers } from './dispatcher';

/**
 * `coding.*`: the coding workspace's runs, their review and undo (issue #12). A folder typed in the
 * app must lie under an allowed root of Settings → Workspace, as for `workspaces.open`; the CLI (the
 * user's own shell) needs none.
 */
export function buildCodingHandlers(coding: CodingService, workspaces: Pick<WorkspaceService, 'assertAllowedRoot'>): DomainHandlers<'coding'> {
  return {
    'coding.run': ({ root, task, model, allowCommands, allowDirty }, ctx) => {
      if (ctx.transport !== 'cli') workspaces.assertAllowedRoot(root);
      return coding.start({ root, task, model, allowCommands, allowDirty });
    },
    'coding.get': ({ runId }) => coding.get(runId),
    'coding.review': ({ runId, path, hunk, decision }) => coding.review(runId, path, decision, hunk),
    'coding.undo': ({ runId }) => coding.undo(runId),
    'coding.cancel': ({ runId }) => coding.cancel(runId),
    'coding.latest': () => ({ run: coding.latest() }),
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
