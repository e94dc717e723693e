import { useEffect, useId, useState } from 'react';
import type { ConversationContext } from '../../../../shared/contract';
import { useWorkspace } from '../../stores/workspace-store';
import { formatBytes } from './format-bytes';

/**
 * Which workspace files went into this conversation's context, and why; the user removes one, or
 * adds one (with suggestions from the index). Added files go with the next request (again when changed) until removed.
 */
export function ContextFilesPanel({ conversationId, context }: { conversationId: string; context: ConversationContext }) {
  const { add, remove, suggest, busy } = useWorkspace();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<{ query: string; paths: string[] }>({ query: '', paths: [] });
  // Only the answer to what is typed now is shown (a slower, older lookup is ignored).
  const suggestions = query.trim() !== '' && found.query === query.trim() ? found.paths : [];
  const listId = useId();
  const workspaceId = context.workspace?.id ?? null;
  const total = context.files.reduce((n, f) => n + f.bytes, 0);

  useEffect(() => {
    const q = query.trim();
    if (!workspaceId || q === '') return;
    let live = true;
    const timer = setTimeout(() => void suggest(workspaceId, q).then((paths) => live && setFound({ query: q, paths })), 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [workspaceId, query, suggest]);

  const addFile = async (filePath: string) => {
    if (await add(conversationId, filePath)) {
      setQuery('');
    }
  };

  return (
    <section className="context-files" aria-label="Context files">
      <h2 className="context-files-title">
        Context files <span className="muted">{context.files.length === 0 ? '' : `${formatBytes(total)} in context · budget ${formatBytes(context.budgetBytes)} per request`}</span>
      </h2>
      {context.files.length === 0 ? (
        <p className="muted context-files-empty">No files sent yet. Each chat reply (and each coding request) picks files from the workspace for your message; add one to always include it.</p>
      ) : (
        <ul className="context-files-list">
          {context.files.map((f) => (
            <li key={f.path}>
              <code className="context-file-path" title={f.path}>{f.path}</code>
              <span className="muted context-file-reason">
                {f.reason} · {formatBytes(f.bytes)}
              </span>
              <button type="button" aria-label={`Remove ${f.path}`} disabled={busy} onClick={() => void remove(conversationId, f.path)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {context.excluded.length > 0 ? (
        <p className="muted context-files-excluded">
          Left out by you: {context.excluded.join(', ')}
        </p>
      ) : null}
      <form
        className="context-files-add"
        onSubmit={(e) => {
          e.preventDefault();
          if (query.trim()) void addFile(query.trim());
        }}
      >
        <label htmlFor={`${listId}-input`} className="label">
          Add file
        </label>
        <div className="context-files-add-row">
          <input
            id={`${listId}-input`}
            role="combobox"
            aria-expanded={suggestions.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            placeholder="Type part of a path, e.g. src/parser"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <button type="submit" disabled={busy || query.trim() === ''}>
            Add
          </button>
        </div>
        {suggestions.length > 0 ? (
          <ul id={listId} role="listbox" aria-label="Matching files" className="context-files-suggestions">
            {suggestions.map((p) => (
              <li key={p} role="option" aria-selected={false} tabIndex={-1} onClick={() => void addFile(p)} onKeyDown={(e) => e.key === 'Enter' && void addFile(p)}>
                {p}
              </li>
            ))}
          </ul>
        ) : null}
      </form>
    </section>
  );
}
