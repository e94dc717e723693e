import { useState } from 'react';
import type { Conversation } from '../../../../shared/contract';
import { Icon } from '../../components/Icon';
import { useConversations } from '../../stores/conversations-store';
import { downloadFile, useLibrary } from '../../stores/library-store';
import { errorText } from '../../stores/errors';
import { JumpToMessage } from '../library/JumpToMessage';
import { SearchBox, SearchResults, openHit } from '../library/SearchBox';

export function Sidebar({ onNavigateChat, onShowSidebar }: { onNavigateChat: () => void; onShowSidebar?: () => void }) {
  const { items, selectedId, select, newChat, rename, remove } = useConversations();
  const searching = useLibrary((s) => s.query.trim().length > 0);
  return (
    <nav className="sidebar" aria-label="Conversations">
      <JumpToMessage />
      <SearchBox onBeforeFocus={onShowSidebar} />
      <button
        type="button"
        className="primary new-chat"
        title="New chat (Ctrl+N)"
        onClick={() => {
          // Not saved until its first message (issue #14).
          newChat();
          onNavigateChat();
        }}
      >
        New chat
      </button>
      {searching ? (
        <SearchResults
          onOpen={(hit) => {
            openHit(hit);
            onNavigateChat();
          }}
        />
      ) : (
      <ul className="conversation-list">
        {items.map((c) => (
          <ConversationItem
            key={c.id}
            conversation={c}
            selected={c.id === selectedId}
            onSelect={() => {
              select(c.id);
              onNavigateChat();
            }}
            onRename={(title) => rename(c.id, title)}
            onDelete={() => remove(c.id)}
          />
        ))}
      </ul>
      )}
      {items.length === 0 && !searching ? <p className="muted small">No conversations yet.</p> : null}
    </nav>
  );
}

function ConversationItem(props: {
  conversation: Conversation;
  selected: boolean;
  onSelect: () => void;
  onRename: (title: string) => void;
  onDelete: () => void;
}) {
  const { conversation, selected } = props;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(conversation.title);
  const [confirming, setConfirming] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const save = async (format: 'markdown' | 'json') => {
    try {
      downloadFile(await useLibrary.getState().exportConversation(conversation.id, format));
      setExporting(false);
      setExportError(null);
    } catch (error) {
      setExportError(errorText(error));
    }
  };

  if (editing) {
    return (
      <li className="conversation editing">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim()) props.onRename(draft.trim());
            setEditing(false);
          }}
        >
          <input aria-label="Conversation title" value={draft} autoFocus maxLength={200} onChange={(e) => setDraft(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && setEditing(false)} />
          <button type="submit">Save</button>
        </form>
      </li>
    );
  }
  return (
    <li className={`conversation${selected ? ' selected' : ''}`}>
      <button type="button" className="conversation-title" aria-current={selected ? 'true' : undefined} onClick={props.onSelect} title={conversation.title}>
        {conversation.title}
      </button>
      {confirming ? (
        <span className="conversation-actions">
          <button type="button" className="danger small" aria-label={`Confirm delete ${conversation.title}`} onClick={props.onDelete}>
            Delete
          </button>
          <button type="button" className="small" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </span>
      ) : (
        <span className="conversation-actions">
          <button type="button" className="icon" aria-label={`Export ${conversation.title}`} aria-expanded={exporting} onClick={() => setExporting((x) => !x)}>
            <Icon name="download" />
          </button>
          <button type="button" className="icon" aria-label={`Rename ${conversation.title}`} onClick={() => { setDraft(conversation.title); setEditing(true); }}>
            <Icon name="edit" />
          </button>
          <button type="button" className="icon" aria-label={`Delete ${conversation.title}`} onClick={() => setConfirming(true)}>
            <Icon name="trash" />
          </button>
        </span>
      )}
      {exporting ? (
        <div className="export-menu" role="group" aria-label={`Export ${conversation.title} as`}>
          <button type="button" className="small" onClick={() => void save('markdown')}>
            Markdown
          </button>
          <button type="button" className="small" onClick={() => void save('json')}>
            JSON
          </button>
          {exportError ? <span className="search-error" role="alert">{exportError}</span> : null}
        </div>
      ) : null}
    </li>
  );
}
