import type { WorkspaceService } from '../workspace';
import type { DomainHandlers } from './dispatcher';

/**
 * `workspaces.*` (issue #12). A typed path must lie under an allowed root of Settings → Workspace for
 * every transport but the CLI (the user's own shell); the desktop picker's choice needs no root.
 */
export function buildWorkspaceHandlers(workspaces: WorkspaceService): DomainHandlers<'workspaces'> {
  return {
    'workspaces.list': async () => ({ workspaces: await workspaces.list() }),
    'workspaces.open': ({ path, conversationId }, ctx) => workspaces.open(path, { checkAllowedRoot: ctx.transport !== 'cli', conversationId }),
    'workspaces.pick': ({ conversationId }) => workspaces.pick(conversationId),
    'workspaces.remove': ({ id }) => ({ removed: workspaces.remove(id) }),
    'workspaces.reindex': ({ id }) => workspaces.reindex(id),
    'workspaces.files': ({ id, query, limit }) => workspaces.files(id, query, limit),
    'workspaces.context': ({ conversationId }) => workspaces.context(conversationId),
    'workspaces.setActive': ({ conversationId, workspaceId }) => workspaces.setActive(conversationId, workspaceId),
    'workspaces.editContext': ({ conversationId, add, remove }) => workspaces.editContext(conversationId, { add, remove }),
    'workspaces.selectContext': async ({ conversationId, task, budgetBytes }) => {
      const s = await workspaces.selectForConversation(conversationId, task, budgetBytes);
      return { files: s.files.map((f) => ({ path: f.path, bytes: f.bytes, reason: f.reason })), repoMap: s.repoMap, omitted: s.omitted, totalBytes: s.totalBytes };
    },
  };
}
