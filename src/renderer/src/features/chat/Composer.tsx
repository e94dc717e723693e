import { useState, type KeyboardEvent } from 'react';
import type { SavedPrompt } from '../../../../shared/contract';
import { promptMatches } from './prompt-menu';

export function Composer(props: {
  /** Offline mode is on: said where the user types, so nobody wonders why cloud models are missing. */
  offline?: boolean;
  disabled: boolean;
  disabledReason: string | null;
  streamingMessageId: string | null;
  onSend: (text: string) => Promise<boolean>;
  onStop: (messageId: string) => void;
  /** ↑ in the empty composer: edit the last message you sent (issue #14). */
  onEditLast?: () => void;
  /** The prompt library: `/` at the start of the message lists them (issue #14). */
  prompts?: readonly SavedPrompt[];
}) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [menuIndex, setMenuIndex] = useState(0);
  const [menuClosed, setMenuClosed] = useState(false);
  const matches = menuClosed ? null : promptMatches(text, props.prompts ?? []);
  const active = matches && matches.length > 0 ? Math.min(menuIndex, matches.length - 1) : -1;
  const insert = (prompt: SavedPrompt) => {
    setText(prompt.text);
    setMenuIndex(0);
  };
  const canSend = !props.disabled && !sending && text.trim().length > 0 && props.streamingMessageId === null;

  const submit = async () => {
    if (!canSend) return;
    setSending(true);
    const sent = await props.onSend(text.trim());
    setSending(false);
    // Keep the text when sending failed, so nothing the user typed is lost.
    if (sent) setText('');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (matches && matches.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setMenuIndex((active + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
        e.preventDefault();
        insert(matches[active]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setMenuClosed(true);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    } else if (e.key === 'ArrowUp' && text === '' && props.onEditLast) {
      e.preventDefault();
      props.onEditLast();
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <textarea
        id="composer"
        aria-label="Message"
        placeholder={props.disabledReason ?? (props.offline ? 'Offline — only models on this computer answer. Ask anything… (Enter to send)' : 'Ask anything… (Enter to send, Shift+Enter for a new line)')}
        value={text}
        rows={3}
        onChange={(e) => {
          setText(e.target.value);
          if (!e.target.value.startsWith('/')) setMenuClosed(false);
        }}
        onKeyDown={onKeyDown}
        aria-controls={matches ? 'prompt-menu' : undefined}
        aria-autocomplete={matches ? 'list' : undefined}
        aria-activedescendant={matches && active >= 0 ? `prompt-option-${active}` : undefined}
      />
      {matches ? (
        <ul className="prompt-menu" id="prompt-menu" role="listbox" aria-label="Saved prompts">
          {matches.length === 0 ? <li className="muted small" role="presentation">No saved prompt matches.</li> : null}
          {matches.map((p, i) => (
            <li
              key={p.id}
              id={`prompt-option-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                insert(p);
              }}
            >
              <strong>{p.name}</strong> <span className="muted small">{p.text.length > 80 ? `${p.text.slice(0, 80)}…` : p.text}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="composer-actions">
        {props.offline ? (
          <span className="composer-offline" title="Offline mode is on: nothing is sent to the internet">
            Offline
          </span>
        ) : null}
        {props.streamingMessageId ? (
          <button type="button" className="danger" onClick={() => props.onStop(props.streamingMessageId!)}>
            Stop
          </button>
        ) : (
          <button type="submit" className="primary" disabled={!canSend}>
            Send
          </button>
        )}
      </div>
    </form>
  );
}
