import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { VersionPosition } from '../../../../shared/chat-branch';
import type { Message, ModelInfo } from '../../../../shared/contract';
import { Markdown } from '../../components/Markdown';
import { TierBadge } from '../../components/TierBadge';
import { formatUsd } from '../../components/usd';
import { useRouting, type LiveAttempt } from '../../stores/routing-store';
import { CachedNote } from '../cache/CachedNote';
import { messageElementId } from '../library/JumpToMessage';
import { MessageAttachments } from '../attachments/MessageAttachments';
import { ReplyContext } from '../workspace/ReplyContext';
import { AnswerFeedback } from './AnswerFeedback';
import { ContinueElsewhere } from './ContinueElsewhere';
import { MessageActions, type MessageActionHandlers } from './MessageActions';
import './routing.css';

function seconds(from: number | null, to: number | null): string | null {
  return from !== null && to !== null ? `${((to - from) / 1000).toFixed(1)} s` : null;
}

const NO_ATTEMPTS: LiveAttempt[] = [];

/** Items with " · " between them (plain text, so copied or read-aloud meta reads the same). */
function interleave(items: Array<ReactNode | null>): ReactNode[] {
  return items.filter((x) => x !== null).flatMap((x, i) => (i === 0 ? [x] : [<span key={`sep${i}`} className="sep"> · </span>, x]));
}

export interface MessageActionProps {
  versions: VersionPosition | null;
  busy: boolean;
  models: readonly ModelInfo[];
  handlers: MessageActionHandlers;
  /** This user message is open in the inline editor. */
  editing?: boolean;
  onEditDone?: (text: string | null) => void;
}

export function MessageView({ message, onWhy, onAskAgain, actions, continueModels }: { message: Message; onWhy?: (message: Message) => void; onAskAgain?: (message: Message) => void; actions?: MessageActionProps; continueModels?: readonly ModelInfo[] }) {
  const isUser = message.role === 'user';
  const attempts = useRouting((s) => s.attempts[message.id]) ?? NO_ATTEMPTS;
  const current = attempts.at(-1);
  const streaming = message.status === 'streaming';
  // While streaming, the attempt under way says which model is answering; after, the record does.
  const model = streaming ? (current?.model ?? message.modelId) : message.modelId;
  const tier = streaming ? (current?.tier ?? null) : message.tier;
  const time = seconds(message.startedAt, message.finishedAt);
  return (
    <article id={messageElementId(message.id)} className={`message message-${message.role} status-${message.status}`} aria-label={isUser ? 'Your message' : 'Assistant message'} data-status={message.status}>
      <div className="message-role">{isUser ? 'You' : 'Assistant'}</div>
      {!isUser ? <Escalations attempts={attempts} streaming={streaming} escalations={message.escalations} /> : null}
      <div className="message-body">
        {isUser && actions?.editing && actions.onEditDone ? (
          <InlineEditor initial={message.content} onDone={actions.onEditDone} />
        ) : message.content ? (
          isUser ? <p className="user-text">{message.content}</p> : <Markdown text={message.content} copyCode />
        ) : null}
        {streaming && !message.content ? <span className="typing" aria-label="Waiting for the model">●●●</span> : null}
      </div>
      <MessageAttachments message={message} />
      {message.status === 'cancelled' ? <div className="message-note">Stopped — the text above is what arrived before you stopped it.</div> : null}
      {message.status === 'error' && message.error ? (
        <div className="message-error" role="alert">
          {message.error.message}
        </div>
      ) : null}
      {!isUser ? <ContinueElsewhere message={message} models={continueModels} /> : null}
      {!isUser ? (
        <div className="message-meta">
          {interleave([
            model ? <span key="model" className="meta-model">{model}</span> : null,
            tier ? <TierBadge key="tier" tier={tier} /> : null,
            message.costUnknown ? (
              <a key="cost" href="#settings" title="This model has no known price yet: set one in Settings → Providers → Prices">
                price unknown
              </a>
            ) : message.costUsd !== null ? (
              <span key="cost" title="What the model calls for this reply cost">{formatUsd(message.costUsd)}</span>
            ) : null,
            time ? <span key="time" title="From sending to the last token">{time}</span> : null,
            message.completionTokens !== null ? <span key="tokens">{message.completionTokens} token{message.completionTokens === 1 ? '' : 's'}</span> : null,
          ])}
          {!streaming && onWhy && !message.cached ? (
            <button type="button" className="link why-button" onClick={() => onWhy(message)}>
              Why this model?
            </button>
          ) : null}
          <AnswerFeedback message={message} />
        </div>
      ) : null}
      {!isUser ? <ReplyContext messageId={message.id} /> : null}
      {!isUser ? <CachedNote message={message} onAskAgain={onAskAgain} /> : null}
      {actions && !actions.editing ? <MessageActions message={message} versions={actions.versions} busy={actions.busy} models={actions.models} handlers={actions.handlers} /> : null}
    </article>
  );
}

/** Edit a message in place: Enter sends the edited text as a new version, Shift+Enter a new line, Esc cancels. */
function InlineEditor({ initial, onDone }: { initial: string; onDone: (text: string | null) => void }) {
  const [text, setText] = useState(initial);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  return (
    <div className="inline-editor">
      <textarea
        ref={area}
        aria-label="Edit message"
        value={text}
        rows={Math.min(10, Math.max(2, text.split('\n').length))}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onDone(null);
          } else if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            if (text.trim()) onDone(text.trim());
          }
        }}
      />
      <div className="inline-editor-actions">
        <span className="muted small">Enter sends as a new version · Esc cancels</span>
        <button type="button" className="small" onClick={() => onDone(null)}>
          Cancel
        </button>
        <button type="button" className="small primary" disabled={!text.trim()} onClick={() => onDone(text.trim())}>
          Send edit
        </button>
      </div>
    </div>
  );
}

/** "Escalated from X: reason → Y", live while the reply streams and kept for this session. */
function Escalations({ attempts, streaming, escalations }: { attempts: LiveAttempt[]; streaming: boolean; escalations: number }) {
  const steps = attempts.filter((a) => a.attempt > 1);
  if (steps.length === 0) {
    if (streaming || escalations === 0) return null;
    return <div className="escalation muted">Escalated {escalations === 1 ? 'once' : `${escalations} times`}: see “Why this model?”.</div>;
  }
  return (
    <ul className="escalations" aria-label="Escalations">
      {steps.map((a) => (
        <li key={a.attempt} className="escalation">
          <strong>Escalated from {a.from ?? 'the previous model'}</strong>: {a.reason ?? 'its reply did not pass the checks'} → {a.model}
          {streaming && a === attempts.at(-1) ? <span className="muted"> (answering…)</span> : null}
        </li>
      ))}
    </ul>
  );
}
