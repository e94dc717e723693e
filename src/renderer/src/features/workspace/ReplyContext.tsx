import { useWorkspace } from '../../stores/workspace-store';
import './workspace.css';

/**
 * Issue #12: under a reply, the workspace files it was sent with ("Context from shop: src/cart.ts,
 * src/tax.ts"), each path's reason as its title. Known for replies of this session (the event).
 */
export function ReplyContext({ messageId }: { messageId: string }) {
  const sent = useWorkspace((s) => s.sentWith[messageId]);
  if (!sent) return null;
  const label = `Context from workspace ${sent.workspace}`;
  return (
    <p className="reply-context muted" role="note" aria-label={label}>
      <span className="reply-context-label">Context from {sent.workspace}:</span>{' '}
      {sent.files.length === 0 ? (
        <span>{sent.repoMap ? 'repo map only (no file new or changed since it was last sent)' : 'no file new or changed since it was last sent'}</span>
      ) : (
        sent.files.map((f, i) => (
          <span key={f.path}>
            {i > 0 ? ', ' : ''}
            <code className="reply-context-file" title={f.reason}>
              {f.path}
            </code>
          </span>
        ))
      )}
      {sent.files.length > 0 && sent.repoMap ? <span> + repo map</span> : null}
    </p>
  );
}
