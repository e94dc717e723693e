/**
 * What a coding request sends about a workspace: the agreed seam between context selection (the
 * index, `workspace/`) and the edit → validate → retry loop (`coding/`).
 */
export interface ContextPackFile {
  /** Workspace-relative, forward slashes. */
  path: string;
  content: string;
  /** Why it was chosen, for the user: "mentioned", "references Foo", "repo map rank 3", "added by you", "changed since last turn". */
  reason: string;
}

export interface ContextPack {
  files: ContextPackFile[];
  /** Aider-style repo map of the files not sent in full (may be empty). */
  repoMap: string;
  /** Paths that ranked but did not fit the budget, or were sent earlier and are unchanged. */
  omitted: string[];
}

export interface ContextRequest {
  /** Absolute workspace root. */
  root: string;
  /** The user's task (and, on a retry, nothing else: diagnostics travel separately). */
  task: string;
  /** For differential context: files already sent in this conversation and unchanged are not re-sent. */
  conversationId?: string;
  /** Seed 002: under 20 KB unless configured. */
  budgetBytes: number;
  /** Files the user added or removed by hand. */
  pinned?: string[];
  excluded?: string[];
}

export type ContextProvider = (request: ContextRequest) => Promise<ContextPack>;
