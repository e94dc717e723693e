import { useState, type KeyboardEvent } from 'react';
import type { PreparedAttachment } from '../../../../shared/contract';
import { AttachButton, AttachmentTray } from '../attachments/AttachmentTray';
import { useAttachmentTray } from '../attachments/use-attachment-tray';

export function Composer(props: {
  /** Offline mode is on: said where the user types, so nobody wonders why cloud models are missing. */
  offline?: boolean;
  disabled: boolean;
  disabledReason: string | null;
  streamingMessageId: string | null;
  onSend: (text: string, attachments?: PreparedAttachment[]) => Promise<boolean>;
  onStop: (messageId: string) => void;
}) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
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
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
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
        aria-label="Message"
        placeholder={props.disabledReason ?? (props.offline ? 'Offline — only models on this computer answer. Ask anything… (Enter to send)' : 'Ask anything… (Enter to send, Shift+Enter for a new line)')}
        value={text}
        rows={3}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        onPaste={tray.onPaste}
      />
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
