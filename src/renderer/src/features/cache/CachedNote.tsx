import type { Message } from '../../../../shared/contract';
import { formatUsd } from '../../components/usd';
import './cache.css';

/** "From cache · saved $0.0004" under a reply served from the cache, with "Ask again without cache". */
export function CachedNote({ message, onAskAgain }: { message: Message; onAskAgain?: (message: Message) => void }) {
  const cached = message.cached;
  if (!cached || message.status !== 'complete') return null;
  const match = cached.kind === 'semantic' && cached.similarity !== null ? ` · similar question (${Math.round(cached.similarity * 100)}% match)` : '';
  const title =
    cached.kind === 'semantic'
      ? 'A question that means the same was answered before; this is that answer.'
      : 'This exact question was answered before; this is that answer.';
  return (
    <div className="cached-note" role="note" aria-label="From cache">
      <span className="cached-badge" title={title}>
        From cache · saved {formatUsd(cached.savedUsd)}
        {match}
      </span>
      {onAskAgain ? (
        <>
          <button type="button" className="small" onClick={() => onAskAgain(message)} title="Sends your message to a model again. The fresh answer replaces this one.">
            Ask again without cache
          </button>
          <span className="replaces">(replaces this answer)</span>
        </>
      ) : null}
    </div>
  );
}
