import { useState, type KeyboardEvent } from 'react';

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
}) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
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
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
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
