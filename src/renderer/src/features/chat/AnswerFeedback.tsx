import type { Message } from '../../../../shared/contract';
import { useFeedback } from '../../stores/feedback-store';

/** A thumb drawn inline (an emoji needs a colour-emoji font the machine may not have). */
function Thumb({ down }: { down?: boolean }) {
  return (
    <svg width="15" height="15" viewBox="0 0 24 24" aria-hidden="true" focusable="false" style={down ? { transform: 'rotate(180deg)' } : undefined}>
      <path fill="currentColor" d="M2 10h4v11H2zM8 21h9.3a2 2 0 0 0 2-1.6l1.6-8A2 2 0 0 0 19 9h-5.6l.9-4.2a1.6 1.6 0 0 0-.4-1.5L13 2 8 7.6z" />
    </svg>
  );
}

/** 👍 / 👎 on a routed reply (issue #11): routing learns which tier similar requests need. */
export function AnswerFeedback({ message }: { message: Message }) {
  const verdict = useFeedback((s) => s.verdicts[message.id]);
  const note = useFeedback((s) => s.notes[message.id]);
  const give = useFeedback((s) => s.give);
  if (message.role !== 'assistant' || message.status !== 'complete' || message.cached || !message.tier) return null;
  return (
    <span className="answer-feedback" role="group" aria-label="Rate this answer">
      <button type="button" className="link feedback-button" aria-label="Good answer" aria-pressed={verdict === 'good'} title="Good answer: similar requests keep this tier" onClick={() => void give(message.id, 'good')}>
        <Thumb />
      </button>
      <button type="button" className="link feedback-button" aria-label="Bad answer" aria-pressed={verdict === 'bad'} title="Bad answer: similar requests start on a stronger tier" onClick={() => void give(message.id, 'bad')}>
        <Thumb down />
      </button>
      {note ? (
        <span className={note.error ? 'feedback-note error' : 'feedback-note muted small'} role={note.error ? 'alert' : 'status'}>
          {note.text}
        </span>
      ) : null}
    </span>
  );
}
