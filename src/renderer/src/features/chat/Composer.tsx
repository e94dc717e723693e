import { useState, type KeyboardEvent } from 'react';
import type { PreparedAttachment, SavedPrompt } from '../../../../shared/contract';
import { AttachButton, AttachmentTray } from '../attachments/AttachmentTray';
import { useAttachmentTray } from '../attachments/use-attachment-tray';
import { promptMatches } from './prompt-menu';

export function Composer(props: {
  /** Offline mode is on: said where the user types, so nobody wonders why cloud models are missing. */
  offline?: boolean;
  disabled: boolean;
  disabledReason: string | null;
  streamingMessageId: string | null;
  onSend: (text: string, attachments?: PreparedAttachment[]) => Promise<boolean>;
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
  // Files (issue #14): chips above the box; a large paste stays collapsed and goes with the text.
  const tray = useAttachmentTray();
  const [dragging, setDragging] = useState(false);
  const message = [text.trim(), tray.pasted ?? ''].filter(Boolean).join('\n\n');
  const canSend = !props.disabled && !sending && message.length > 0 && tray.reading === 0 && props.streamingMessageId === null;

  const submit = async () => {
    if (!canSend) return;
    setSending(true);
    const sent = await props.onSend(message, tray.files.length ? tray.files : undefined);
    setSending(false);
    // Keep the text and files when sending failed, so nothing the user typed is lost.
    if (sent) {
      setText('');
      tray.clear();
    }
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
    } else if (e.key === 'ArrowUp' && text === '' && !tray.pasted && tray.files.length === 0 && props.onEditLast) {
      e.preventDefault();
      props.onEditLast();
    }
  };

  return (
    <form
      className={`composer with-tray${dragging ? ' dragging' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onDragOver={(e) => {
        if (![...e.dataTransfer.types].includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        setDragging(false);
        tray.onDrop(e);
      }}
    >
      <AttachmentTray tray={tray} onShowPasted={(pasted) => setText((t) => (t ? `${t}\n\n${pasted}` : pasted))} />
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
        onPaste={tray.onPaste}
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
        <AttachButton tray={tray} disabled={props.disabled} />
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
