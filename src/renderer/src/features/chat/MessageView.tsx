import type { Message } from '../../../../shared/contract';
import { Markdown } from '../../components/Markdown';

function seconds(from: number | null, to: number | null): string | null {
  return from !== null && to !== null ? `${((to - from) / 1000).toFixed(1)} s` : null;
}

/** $0 for local and free-tier calls; sub-cent amounts keep enough digits to mean something. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  return usd < 0.01 ? `$${usd.toFixed(5)}` : `$${usd.toFixed(3)}`;
}

export function MessageView({ message }: { message: Message }) {
  const isUser = message.role === 'user';
  const meta: string[] = [];
  if (!isUser && message.modelId) meta.push(message.modelId);
  if (!isUser) {
    const total = seconds(message.startedAt, message.finishedAt);
    if (total) meta.push(total);
    if (message.completionTokens !== null) meta.push(`${message.completionTokens} tokens`);
    if (message.costUsd !== null) meta.push(formatCost(message.costUsd));
  }
  return (
    <article className={`message message-${message.role} status-${message.status}`} aria-label={isUser ? 'Your message' : 'Assistant message'} data-status={message.status}>
      <div className="message-role">{isUser ? 'You' : 'Assistant'}</div>
      <div className="message-body">
        {message.content ? isUser ? <p className="user-text">{message.content}</p> : <Markdown text={message.content} /> : null}
        {message.status === 'streaming' && !message.content ? <span className="typing" aria-label="Waiting for the model">●●●</span> : null}
      </div>
      {message.status === 'cancelled' ? <div className="message-note">Stopped — the text above is what arrived before you stopped it.</div> : null}
      {message.status === 'error' && message.error ? (
        <div className="message-error" role="alert">
          {message.error.message}
        </div>
      ) : null}
      {meta.length ? <div className="message-meta">{meta.join(' · ')}</div> : null}
    </article>
  );
}
