import { useEffect, useId, useState } from 'react';
import { useWorkspace } from '../../stores/workspace-store';
import { ContextFilesPanel } from './ContextFilesPanel';
import './workspace.css';

/**
 * The chat's workspace: "Open workspace" (the folder dialog on the desktop, a typed path in
 * headless mode), the folder's git state, and the Context files panel. A conversation is created
 * when a workspace is opened from a new chat, since the link is per conversation.
 */
export function WorkspaceBar({ conversationId, ensureConversation }: { conversationId: string | null; ensureConversation: () => Promise<string | null> }) {
  const { byConversation, workspaces, canPick, busy, error, load, loadWorkspaces, pick, open, switchTo, clearError } = useWorkspace();
  const context = conversationId ? byConversation[conversationId] : undefined;
  const workspace = context?.workspace ?? null;
  const [typing, setTyping] = useState(false);
  const [folder, setFolder] = useState('');
  const [showFiles, setShowFiles] = useState(false);
  const inputId = useId();

  useEffect(() => {
    if (conversationId) void load(conversationId);
  }, [conversationId, load]);
  useEffect(() => {
    void loadWorkspaces();
  }, [loadWorkspaces]);

  const startOpen = async () => {
    clearError();
    if (canPick === false) return setTyping(true);
    const id = await ensureConversation();
    if (!id) return;
    if (!(await pick(id))) setTyping(true);
  };
  const submitFolder = async () => {
    const id = await ensureConversation();
    if (id && (await open(id, folder.trim()))) {
      setTyping(false);
      setFolder('');
    }
  };
  const others = workspaces.filter((w) => w.id !== workspace?.id);

  return (
    <div className="workspace-bar" aria-label="Workspace" role="region">
      <div className="workspace-row">
        {workspace ? (
          <>
            <span className="workspace-name" title={workspace.root}>
              <strong>{workspace.name}</strong>{' '}
              <span className="muted">
                {workspace.git.isRepo
                  ? `${workspace.git.branch ?? 'no branch'}${workspace.git.dirty.length ? ` · ${workspace.git.dirty.length} changed` : ' · clean'}`
                  : 'not a git repository'}
                {` · ${workspace.index.files} files`}
              </span>
            </span>
            <button
              type="button"
              aria-expanded={showFiles}
              onClick={() => {
                // Opening it shows what the last coding request sent (the loop runs outside this view).
                if (!showFiles && conversationId) void load(conversationId);
                setShowFiles((v) => !v);
              }}
            >
              Context files ({context?.files.length ?? 0})
            </button>
          </>
        ) : (
          <span className="muted workspace-none">No workspace: coding requests see no files.</span>
        )}
        <button type="button" onClick={() => void startOpen()} disabled={busy}>
          {workspace ? 'Open another' : 'Open workspace'}
        </button>
        {others.length > 0 && conversationId ? (
          <select
            aria-label="Switch workspace"
            value=""
            onChange={(e) => e.target.value && void switchTo(conversationId, e.target.value)}
          >
            <option value="">Switch to…</option>
            {others.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name} ({w.root})
              </option>
            ))}
          </select>
        ) : null}
      </div>
      {typing ? (
        <form
          className="workspace-open-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (folder.trim()) void submitFolder();
          }}
        >
          <label htmlFor={inputId} className="label">
            Folder path (on the computer running Switchboard)
          </label>
          <div className="workspace-open-row">
            <input id={inputId} value={folder} placeholder="/home/me/code/project" onChange={(e) => setFolder(e.target.value)} autoFocus />
            <button type="submit" className="primary" disabled={busy || folder.trim() === ''}>
              {busy ? 'Indexing…' : 'Open'}
            </button>
            <button type="button" onClick={() => (setTyping(false), clearError())}>
              Cancel
            </button>
          </div>
          <p className="muted workspace-hint">In the browser, only folders under an allowed root of Settings → Workspace can be opened.</p>
        </form>
      ) : null}
      {error ? (
        <p role="alert" className="workspace-error">
          {error}
        </p>
      ) : null}
      {workspace && showFiles && context && conversationId ? <ContextFilesPanel conversationId={conversationId} context={context} /> : null}
    </div>
  );
}
