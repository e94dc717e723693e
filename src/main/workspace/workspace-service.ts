import { randomUUID } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConversationContext, ContextFileEntry, Workspace, WorkspaceGit } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import type { Logger } from '../logger';
import type { Db } from '../store';
import type { ContextPack, ContextProvider, ContextRequest } from './context-pack';
import { selectContext, type Selection } from './context-selector';
import { readGit, type GitSnapshot } from './git-repo';
import { walkFiles } from './ignore-rules';
import { PathEscapeError, resolveInWorkspace, toWorkspaceRelative } from './safe-path';
import { SymbolIndex, isBinary } from './symbol-index';
import { TagExtractor } from './tags';
import { workspaceSettings, type WorkspaceSettingsState } from './workspace-settings';
import { WorkspaceStore, type WorkspaceRow } from './workspace-store';

/** What a chat reply sends of the conversation's workspace (`WorkspaceService.forChat`). */
export interface ChatWorkspaceContext {
  /** The workspace's name (its folder's). */
  workspace: string;
  files: Array<{ path: string; content: string; reason: string; bytes: number }>;
  repoMap: string;
  omitted: string[];
  /** Records the files as sent in this conversation: call once a model got the request. */
  markSent(): void;
}

/** A workspace with more files than this is indexed up to it (a home folder opened by mistake must not take minutes). */
export const MAX_WORKSPACE_FILES = 50_000;

export interface WorkspaceServiceOptions {
  db: Db;
  /** Settings → Workspace as stored (validated by the contract). */
  settings: () => Parameters<typeof workspaceSettings>[0];
  logger: Logger;
  /** The desktop folder picker (src/main/electron); absent in headless mode and the CLI. */
  pickFolder?: () => Promise<string | null>;
  now?: () => number;
}

export interface OpenOptions {
  /** Headless and desktop calls: the folder must lie under an allowed root of Settings → Workspace. */
  checkAllowedRoot: boolean;
  conversationId?: string;
  signal?: AbortSignal;
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function invalid(message: string): SwitchboardError {
  return new SwitchboardError('invalid_input', message);
}

/**
 * Workspaces (issue #12): folders the user opened, each with its git state and symbol index, one
 * active per conversation, and the context each request sends of it (targeted and differential).
 * `provider` is the ContextProvider the coding loop calls.
 */
export class WorkspaceService {
  readonly index: SymbolIndex;
  private readonly store: WorkspaceStore;
  private readonly tags = new TagExtractor();
  private readonly git = new Map<string, GitSnapshot>();
  /** One refresh at a time per workspace: a selection waits for an index run already under way. */
  private readonly refreshing = new Map<string, Promise<unknown>>();
  private readonly now: () => number;
  private readonly stopping = new AbortController();

  constructor(private readonly options: WorkspaceServiceOptions) {
    this.store = new WorkspaceStore(options.db);
    this.index = new SymbolIndex(options.db, this.tags);
    this.now = options.now ?? Date.now;
  }

  settings(): WorkspaceSettingsState {
    return workspaceSettings(this.options.settings());
  }

  get canPick(): boolean {
    return this.options.pickFolder !== undefined;
  }

  /** Opens a folder: checks it, reads git, indexes it, and links it to the conversation when given. */
  async open(dir: string, options: OpenOptions): Promise<Workspace> {
    const requested = dir.trim();
    if (!path.isAbsolute(requested)) throw invalid(`"${requested}" is not an absolute path; give the full path of the folder (for example /home/me/code/project).`);
    let real: string;
    try {
      real = realpathSync(requested);
    } catch {
      throw new SwitchboardError('not_found', `There is no folder at ${requested}.`);
    }
    if (!statSync(real).isDirectory()) throw invalid(`${requested} is a file, not a folder; open the folder that holds the project.`);
    if (options.checkAllowedRoot) this.checkAllowed(requested, real);
    const row = this.store.upsert(randomUUID(), real, path.basename(real) || real, this.now());
    await this.refresh(row, options.signal);
    if (options.conversationId) this.store.setLink(options.conversationId, row.id, this.now());
    this.options.logger.info('workspace opened', { id: row.id, files: this.index.stats(row.id).files });
    return this.describe(this.store.get(row.id)!);
  }

  /**
   * Refuses a typed folder outside Settings → Workspace's allowed roots (after resolving symlinks):
   * the rule `open` applies to every transport but the CLI, for callers that take a folder themselves
   * (the Code page's `coding.run`).
   */
  assertAllowedRoot(dir: string): void {
    const requested = dir.trim();
    if (!path.isAbsolute(requested)) throw invalid(`"${requested}" is not an absolute path; give the full path of the folder (for example /home/me/code/project).`);
    let real: string;
    try {
      real = realpathSync(requested);
    } catch {
      throw new SwitchboardError('not_found', `There is no folder at ${requested}.`);
    }
    this.checkAllowed(requested, real);
  }

  private checkAllowed(requested: string, real: string): void {
    const roots = this.settings().allowedRoots;
    if (roots.length === 0) {
      throw invalid(
        'No folder can be opened from the browser until Settings → Workspace lists an allowed root folder (for example /home/me/code): ' +
          'add one there (settings key workspace.allowedRoots), or run `switchboard code --workspace DIR` in a terminal.',
      );
    }
    const realRoots = roots.filter((r) => existsSync(r)).map((r) => realpathSync(r));
    if (!realRoots.some((r) => isInside(r, real))) {
      throw invalid(`${requested} is not under an allowed root (${roots.join(', ')}); add its parent folder in Settings → Workspace, or open a folder under one of them.`);
    }
  }

  /** The desktop folder picker; where there is none (headless), `supported` is false and nothing opens. */
  async pick(conversationId?: string): Promise<{ supported: boolean; workspace: Workspace | null }> {
    if (!this.options.pickFolder) return { supported: false, workspace: null };
    const chosen = await this.options.pickFolder();
    if (!chosen) return { supported: true, workspace: null };
    // The user chose it in the system dialog: no allowed-root check (that guards the browser's typed paths).
    return { supported: true, workspace: await this.open(chosen, { checkAllowedRoot: false, conversationId }) };
  }

  async list(): Promise<Workspace[]> {
    return Promise.all(this.store.list().map((row) => this.describe(row)));
  }

  remove(id: string): boolean {
    this.git.delete(id);
    this.index.forget(id);
    return this.store.remove(id);
  }

  async reindex(id: string): Promise<Workspace> {
    const row = this.require(id);
    await this.refresh(row);
    return this.describe(this.store.get(id)!);
  }

  /** Indexed paths containing `query` (case-insensitive), file-name matches first. */
  files(id: string, query = '', limit = 50): { paths: string[]; total: number } {
    this.require(id);
    const q = query.trim().toLowerCase();
    const all = this.index.paths(id);
    const hits = q === '' ? all : all.filter((p) => p.toLowerCase().includes(q));
    const score = (p: string) => (path.posix.basename(p).toLowerCase().startsWith(q) ? 0 : 1);
    hits.sort((a, b) => score(a) - score(b) || a.length - b.length || (a < b ? -1 : 1));
    return { paths: hits.slice(0, limit), total: hits.length };
  }

  async context(conversationId: string): Promise<ConversationContext> {
    const budgetBytes = this.settings().contextBudgetBytes;
    const link = this.store.link(conversationId);
    const row = link ? this.store.get(link.workspaceId) : null;
    if (!link || !row) return { workspace: null, files: [], excluded: [], budgetBytes };
    const pinned = new Set(link.pinned);
    const files: ContextFileEntry[] = this.store
      .sent(conversationId, row.id)
      .map((s) => ({ path: s.path, bytes: s.bytes, reason: s.reason, pinned: pinned.has(s.path) }));
    for (const p of link.pinned) {
      if (files.some((f) => f.path === p)) continue;
      files.push({ path: p, bytes: this.index.file(row.id, p)?.size ?? 0, reason: 'added by you: sent with the next request', pinned: true });
    }
    return { workspace: await this.describe(row), files, excluded: link.excluded, budgetBytes };
  }

  async setActive(conversationId: string, workspaceId: string | null): Promise<ConversationContext> {
    if (workspaceId !== null) this.require(workspaceId);
    this.store.setLink(conversationId, workspaceId, this.now());
    return this.context(conversationId);
  }

  /** The user adds (pins) or removes a file of the conversation's context. */
  async editContext(conversationId: string, edit: { add?: string; remove?: string }): Promise<ConversationContext> {
    const link = this.store.link(conversationId);
    const row = link ? this.store.get(link.workspaceId) : null;
    if (!link || !row) throw invalid('This conversation has no workspace; open one first (Open workspace).');
    let pinned = [...link.pinned];
    let excluded = [...link.excluded];
    if (edit.add !== undefined) {
      const rel = await this.checkedFile(row.root, edit.add);
      if (!pinned.includes(rel)) pinned.push(rel);
      excluded = excluded.filter((p) => p !== rel);
    }
    if (edit.remove !== undefined) {
      const rel = this.relative(row.root, edit.remove);
      pinned = pinned.filter((p) => p !== rel);
      if (!excluded.includes(rel)) excluded.push(rel);
      // Added again later, it is sent again: the model may no longer hold it.
      this.store.forgetSent(conversationId, row.id, rel);
    }
    this.store.setLists(conversationId, pinned, excluded);
    return this.context(conversationId);
  }

  /**
   * Selects the context of a task in the conversation's workspace: a preview (`workspaces.selectContext`),
   * nothing is recorded as sent — only a chat reply that went to a model records (`forChat`).
   */
  async selectForConversation(conversationId: string, task: string, budgetBytes?: number): Promise<Selection> {
    const link = this.store.link(conversationId);
    const row = link ? this.store.get(link.workspaceId) : null;
    if (!link || !row) throw invalid('This conversation has no workspace; open one first (Open workspace).');
    return this.select({ root: row.root, task, conversationId, budgetBytes: budgetBytes ?? this.settings().contextBudgetBytes }, false);
  }

  /**
   * The context a chat reply sends (issue #12): the selection in the conversation's active workspace,
   * or null when it has none. `markSent` records the files as sent (differential context); the chat
   * calls it only once a model got the request, so a failed or stopped reply sends them again.
   * `resend`: select as if nothing had been sent (a regenerated or edited turn, whose request does
   * not hold the earlier replies' context).
   */
  async forChat(conversationId: string, task: string, options: { resend?: boolean } = {}): Promise<ChatWorkspaceContext | null> {
    const link = this.store.link(conversationId);
    const row = link ? this.store.get(link.workspaceId) : null;
    if (!link || !row) return null;
    const selection = await this.select({ root: row.root, task, conversationId, budgetBytes: this.settings().contextBudgetBytes }, false, options.resend === true);
    const workspaceId = row.id;
    return {
      workspace: row.name,
      files: selection.files.map(({ path: p, content, reason, bytes }) => ({ path: p, content, reason, bytes })),
      repoMap: selection.repoMap,
      omitted: selection.omitted,
      markSent: () => {
        // The workspace may have been switched or removed while the reply ran: record against the one selected.
        if (!this.store.get(workspaceId)) return;
        this.store.recordSent(conversationId, workspaceId, selection.files.map((f) => ({ path: f.path, hash: f.hash, bytes: f.bytes, reason: f.reason })), this.now());
      },
    };
  }

  /** The ContextProvider of the coding loop (src/main/workspace/context-pack.ts). */
  readonly provider: ContextProvider = async (request: ContextRequest): Promise<ContextPack> => {
    const selection = await this.select(request);
    return { files: selection.files.map(({ path: p, content, reason }) => ({ path: p, content, reason })), repoMap: selection.repoMap, omitted: selection.omitted };
  };

  /** `record`: the coding loop's provider sends what it selects at once; a preview or a chat reply records later or never. */
  private async select(request: ContextRequest, record = true, ignoreSent = false): Promise<Selection> {
    if (!Number.isInteger(request.budgetBytes) || request.budgetBytes < 1) throw invalid(`The context budget must be a positive number of bytes (got ${request.budgetBytes}).`);
    let real: string;
    try {
      real = realpathSync(request.root);
    } catch {
      throw new SwitchboardError('not_found', `There is no folder at ${request.root}.`);
    }
    // The coding loop's own root (the CLI's --workspace): opened here when new, without the browser's allowed-root check.
    let row = this.store.byRoot(real);
    if (!row) {
      await this.open(real, { checkAllowedRoot: false });
      row = this.store.byRoot(real)!;
    } else await this.refresh(row, undefined, false);
    const link = request.conversationId ? this.store.link(request.conversationId) : null;
    const own = link?.workspaceId === row.id ? link : null;
    const sent = new Map(request.conversationId && !ignoreSent ? this.store.sent(request.conversationId, row.id).map((s) => [s.path, s.hash] as const) : []);
    const selection = await selectContext(this.index, {
      workspaceId: row.id,
      root: row.root,
      task: request.task,
      budgetBytes: request.budgetBytes,
      pinned: [...new Set([...(own?.pinned ?? []), ...(request.pinned ?? []).map((p) => this.relative(row.root, p))])],
      excluded: [...new Set([...(own?.excluded ?? []), ...(request.excluded ?? []).map((p) => this.relative(row.root, p))])],
      sent,
    });
    if (record && request.conversationId) {
      this.store.recordSent(request.conversationId, row.id, selection.files.map((f) => ({ path: f.path, hash: f.hash, bytes: f.bytes, reason: f.reason })), this.now());
    }
    return selection;
  }

  /** Re-lists the files (git or a walk) and updates the index; one run per workspace at a time. */
  private refresh(row: WorkspaceRow, signal?: AbortSignal, full = true): Promise<unknown> {
    const previous = this.refreshing.get(row.id) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(async () => {
        // Before a selection only the file list is read again; opening and reindexing read branch and dirty files too.
        const git = await readGit(row.root, { status: full || !this.git.has(row.id) });
        if (full || !this.git.has(row.id)) this.git.set(row.id, git);
        let listing = git.files ?? walkFiles(row.root, MAX_WORKSPACE_FILES).files;
        if (listing.length > MAX_WORKSPACE_FILES) {
          this.options.logger.warn('workspace has more files than are indexed', { id: row.id, files: listing.length, indexed: MAX_WORKSPACE_FILES });
          listing = listing.slice(0, MAX_WORKSPACE_FILES);
        }
        return this.index.refresh(row.id, row.root, listing, signal ? AbortSignal.any([signal, this.stopping.signal]) : this.stopping.signal);
      });
    this.refreshing.set(row.id, run);
    void run.finally(() => {
      if (this.refreshing.get(row.id) === run) this.refreshing.delete(row.id);
    }).catch(() => undefined);
    return run;
  }

  private async describe(row: WorkspaceRow): Promise<Workspace> {
    let git = this.git.get(row.id);
    if (!git) {
      git = await readGit(row.root);
      this.git.set(row.id, git);
    }
    const gitInfo: WorkspaceGit = { isRepo: git.isRepo, branch: git.branch, dirty: git.dirty, note: git.note };
    return { id: row.id, root: row.root, name: row.name, openedAt: row.openedAt, git: gitInfo, index: { ...this.index.stats(row.id), indexedAt: row.indexedAt } };
  }

  private require(id: string): WorkspaceRow {
    const row = this.store.get(id);
    if (!row) throw new SwitchboardError('not_found', `There is no workspace ${id}; it may have been removed.`);
    return row;
  }

  private relative(root: string, requested: string): string {
    try {
      return toWorkspaceRelative(root, resolveInWorkspace(root, requested));
    } catch (error) {
      if (error instanceof PathEscapeError) throw invalid(error.message);
      throw error;
    }
  }

  private async checkedFile(root: string, requested: string): Promise<string> {
    const rel = this.relative(root, requested);
    const abs = resolveInWorkspace(root, rel);
    const stat = await lstat(abs).catch(() => null);
    if (!stat || !stat.isFile()) throw new SwitchboardError('not_found', `There is no file ${rel} in this workspace.`);
    if (isBinary(await readFile(abs))) throw invalid(`${rel} is a binary file; only text files can go into the context.`);
    return rel;
  }

  /** Stops index runs under way and waits for them, so nothing writes after the database closes. */
  async dispose(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.refreshing.values()]);
    this.tags.dispose();
  }
}
