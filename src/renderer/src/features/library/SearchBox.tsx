import { useEffect, useRef } from 'react';
import type { SearchHit } from '../../../../shared/contract';
import { useConversations } from '../../stores/conversations-store';
import { useChat } from '../../stores/chat-store';
import { useLibrary } from '../../stores/library-store';
import { isMac, isSearchShortcut } from './search-shortcut';
import './library.css';

/** How long typing pauses before a search runs: fast enough to feel live, without a call per key. */
const DEBOUNCE_MS = 120;

/** The sidebar's "Search conversations" field; Ctrl+K (Cmd+K on macOS) focuses it from anywhere. */
export function SearchBox({ onBeforeFocus }: { onBeforeFocus?: () => void }) {
  const { query, setQuery, search, clearSearch } = useLibrary();
  const input = useRef<HTMLInputElement>(null);
  const mac = isMac();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isSearchShortcut(e, mac)) return;
      e.preventDefault();
      onBeforeFocus?.();
      // The sidebar may have just been shown: focus once it is on screen.
      requestAnimationFrame(() => {
        input.current?.focus();
        input.current?.select();
      });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [mac, onBeforeFocus]);

  useEffect(() => {
    const timer = setTimeout(() => void search(query), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, search]);

  return (
    <div className="search-box" role="search">
      <input
        ref={input}
        type="search"
        aria-label="Search conversations"
        placeholder={`Search (${mac ? '⌘K' : 'Ctrl+K'})`}
        value={query}
        maxLength={500}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            clearSearch();
            e.currentTarget.blur();
          } else if (e.key === 'ArrowDown') {
            const first = document.querySelector<HTMLButtonElement>('.search-results button');
            if (first) {
              e.preventDefault();
              first.focus();
            }
          }
        }}
      />
    </div>
  );
}

/** The hits of the current search, in place of the conversation list while a search is typed. */
export function SearchResults({ onOpen }: { onOpen: (hit: SearchHit) => void }) {
  const { query, hits, answered, searchError } = useLibrary();
  if (searchError) return <p className="search-error" role="alert">{searchError}</p>;
  if (answered !== query) return <p className="muted small" role="status">Searching…</p>;
  if (hits.length === 0) return <p className="muted small" role="status">No conversations match “{query.trim()}”.</p>;
  return (
    <ul className="search-results" aria-label="Search results">
      {hits.map((hit) => (
        <li key={`${hit.conversationId}:${hit.messageId ?? 'title'}`}>
          <button
            type="button"
            onClick={() => onOpen(hit)}
            onKeyDown={(e) => {
              const li = e.currentTarget.parentElement;
              const next = e.key === 'ArrowDown' ? li?.nextElementSibling : e.key === 'ArrowUp' ? li?.previousElementSibling : null;
              const target = next?.querySelector('button');
              if (target) {
                e.preventDefault();
                target.focus();
              }
            }}
          >
            <span className="search-hit-title">{hit.messageId ? hit.conversationTitle : <Snippet hit={hit} />}</span>
            {hit.messageId ? (
              <span className="search-hit-snippet">
                <span className="search-hit-role">{hit.role === 'user' ? 'You' : hit.role === 'assistant' ? 'Assistant' : 'System'}: </span>
                <Snippet hit={hit} />
              </span>
            ) : (
              <span className="search-hit-snippet">Title</span>
            )}
          </button>
        </li>
      ))}
    </ul>
  );
}

function Snippet({ hit }: { hit: SearchHit }) {
  return (
    <>
      {hit.snippet.map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </>
  );
}

/** Opens a hit: its conversation, and for a message hit, that message scrolled to and highlighted. */
export function openHit(hit: SearchHit): void {
  useConversations.getState().select(hit.conversationId);
  if (!hit.messageId) {
    useLibrary.getState().jumpTo(null);
    return;
  }
  const target = { conversationId: hit.conversationId, messageId: hit.messageId };
  // A hit may sit in a version not shown (an earlier edit or regenerate): show its branch first.
  void useChat.getState().showVersion(hit.conversationId, hit.messageId).then(() => useLibrary.getState().jumpTo(target));
}
