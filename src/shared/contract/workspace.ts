import { z } from 'zod';
import { call } from './define';

/**
 * Settings → Workspace (issue #12), stored in `Settings.workspace`. Only what the user changes is
 * stored; defaults live in src/main/workspace/workspace-settings.ts.
 */
export const WorkspaceSettingsInput = z
  .object({
    /**
     * Headless mode opens only folders under one of these (absolute paths, checked with realpath): a
     * browser on the LAN must not read any folder of this machine. Empty: no folder can be opened there.
     */
    allowedRoots: z.array(z.string().trim().min(1).refine((p) => p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p), 'must be an absolute path')).max(50),
    /** Seed 002 (Context Minimization): targeted context of 5–20 KB; the default is 20 KB. */
    contextBudgetBytes: z.number().int().min(1_000, 'at least 1 KB').max(2_000_000, 'at most 2 MB'),
  })
  .partial()
  .strict();
export type WorkspaceSettingsInput = z.infer<typeof WorkspaceSettingsInput>;

export const WorkspaceGit = z.object({
  /** False: not a git repository (or git is not installed); files are listed with .gitignore and default ignores. */
  isRepo: z.boolean(),
  branch: z.string().nullable(),
  /** Workspace-relative paths with uncommitted changes (at most 200). */
  dirty: z.array(z.string()),
  /** Why git information is missing, for the user ("not a git repository", "git is not installed"). */
  note: z.string().nullable(),
});
export type WorkspaceGit = z.infer<typeof WorkspaceGit>;

export const WorkspaceIndexStats = z.object({
  files: z.number().int(),
  symbols: z.number().int(),
  /** Files left out of the index: binaries and files over the size limit. */
  skipped: z.number().int(),
  indexedAt: z.number().int().nullable(),
});
export type WorkspaceIndexStats = z.infer<typeof WorkspaceIndexStats>;

export const Workspace = z.object({
  id: z.string(),
  /** Absolute real path. */
  root: z.string(),
  name: z.string(),
  openedAt: z.number().int(),
  git: WorkspaceGit,
  index: WorkspaceIndexStats,
});
export type Workspace = z.infer<typeof Workspace>;

/** One file of a conversation's context, as the Context files panel lists it. */
export const ContextFileEntry = z.object({
  path: z.string(),
  bytes: z.number().int(),
  reason: z.string(),
  /** Added by the user: sent with every request until removed. */
  pinned: z.boolean(),
});
export type ContextFileEntry = z.infer<typeof ContextFileEntry>;

export const ConversationContext = z.object({
  workspace: Workspace.nullable(),
  /** The files of the last context sent in this conversation, and the pinned ones. */
  files: z.array(ContextFileEntry),
  /** Removed by the user: never sent until added again. */
  excluded: z.array(z.string()),
  budgetBytes: z.number().int(),
});
export type ConversationContext = z.infer<typeof ConversationContext>;

const ConversationRef = z.string().min(1).max(200);

export const workspaceCalls = {
  'workspaces.list': call(z.object({}).strict(), z.object({ workspaces: z.array(Workspace) })),
  /**
   * Opens (and indexes) a folder by path. Outside the CLI the path must lie under one of Settings →
   * Workspace's allowed roots. With a conversation, it becomes that conversation's workspace.
   */
  'workspaces.open': call(z.object({ path: z.string().trim().min(1), conversationId: ConversationRef.optional() }).strict(), Workspace),
  /** The desktop folder picker; `supported: false` where there is none (headless: type a path). */
  'workspaces.pick': call(
    z.object({ conversationId: ConversationRef.optional() }).strict(),
    z.object({ supported: z.boolean(), workspace: Workspace.nullable() }),
  ),
  'workspaces.remove': call(z.object({ id: z.string().min(1) }).strict(), z.object({ removed: z.boolean() })),
  /** Re-reads changed files into the index (the index also checks before every context selection). */
  'workspaces.reindex': call(z.object({ id: z.string().min(1) }).strict(), Workspace),
  /** Workspace files whose path contains `query`, for the "Add file" suggestions. */
  'workspaces.files': call(
    z.object({ id: z.string().min(1), query: z.string().max(500).optional(), limit: z.number().int().min(1).max(200).optional() }).strict(),
    z.object({ paths: z.array(z.string()), total: z.number().int() }),
  ),
  /** A conversation's workspace (null: none) and its context files. */
  'workspaces.context': call(z.object({ conversationId: ConversationRef }).strict(), ConversationContext),
  /** Links a conversation to a workspace (null unlinks); one active workspace per conversation. */
  'workspaces.setActive': call(z.object({ conversationId: ConversationRef, workspaceId: z.string().min(1).nullable() }).strict(), ConversationContext),
  /** The user adds a file to (pins) or removes one from the conversation's context. */
  'workspaces.editContext': call(
    z.object({ conversationId: ConversationRef, add: z.string().min(1).optional(), remove: z.string().min(1).optional() }).strict(),
    ConversationContext,
  ),
  /**
   * Selects the context for a task in the conversation's workspace, as the coding loop does, and
   * records it as sent (differential context): files sent earlier and unchanged are not sent again.
   */
  'workspaces.selectContext': call(
    z.object({ conversationId: ConversationRef, task: z.string().min(1).max(20_000), budgetBytes: z.number().int().min(1_000).max(2_000_000).optional() }).strict(),
    z.object({
      files: z.array(z.object({ path: z.string(), bytes: z.number().int(), reason: z.string() })),
      repoMap: z.string(),
      omitted: z.array(z.string()),
      totalBytes: z.number().int(),
    }),
  ),
};
