import { useState, type KeyboardEvent } from 'react';

export function Composer(props: {
  disabled: boolean;
  disabledReason: string | null;
  streamingMessageId: string | null;
  onSend: (text: string) => Promise<boolean>;
  onStop: (messageId: string) => void;
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
        aria-label="Message"
        placeholder={props.disabledReason ?? 'Ask anything… (Enter to send, Shift+Enter for a new line)'}
        value={text}
        rows={3}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="composer-actions">
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
