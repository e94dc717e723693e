import { useEffect, useRef, useState } from 'react';
import type { Message, ModelInfo, Tier } from '../../../../shared/contract';
import type { VersionPosition } from '../../../../shared/chat-branch';
import { CopyButton } from '../../components/CopyButton';

const RANK: Record<Tier, number> = { local: 0, free: 1, paid: 2 };

/** The first model a tier above `tier` (a cloud key in Settings adds some). */
export function strongerModel(models: readonly ModelInfo[], tier: Tier | null): ModelInfo | null {
  const floor = tier === null ? 0 : RANK[tier];
  return [...models].filter((m) => RANK[m.tier] > floor).sort((a, b) => RANK[a.tier] - RANK[b.tier])[0] ?? null;
}

export interface MessageActionHandlers {
  onEdit?: () => void;
  /** Same route (the conversation's model); `model` to answer on another one. */
  onRegenerate?: (model?: string) => void;
  onRetry?: () => void;
  onDelete: () => void;
  onShowVersion: (messageId: string) => void;
}

/**
 * Under each message (issue #14): Copy, Edit (yours) or Regenerate (replies, with a menu of other
 * models and "a stronger tier"), Delete, Retry on a failed reply, and "2 / 3" between versions.
 * Shown on hover or focus; always in the tab order.
 */
export function MessageActions(props: {
  message: Message;
  versions: VersionPosition | null;
  /** A reply is being written in this conversation: nothing that starts another is offered. */
  busy: boolean;
  /** Models the Regenerate menu offers (a Local-only chat passes local ones only). */
  models: readonly ModelInfo[];
  handlers: MessageActionHandlers;
}) {
  const { message, versions, busy, handlers } = props;
  const isUser = message.role === 'user';
  const failed = message.status === 'error';
  return (
    <div className="message-actions" role="toolbar" aria-label={isUser ? 'Actions for your message' : 'Actions for this reply'}>
      {versions && versions.count > 1 ? (
        <span className="versions">
          <button type="button" className="small" aria-label="Previous version" disabled={!versions.previousId} onClick={() => versions.previousId && handlers.onShowVersion(versions.previousId)}>
            ‹
          </button>
          <span className="version-count" aria-label={`Version ${versions.index} of ${versions.count}`}>
            {versions.index} / {versions.count}
          </span>
          <button type="button" className="small" aria-label="Next version" disabled={!versions.nextId} onClick={() => versions.nextId && handlers.onShowVersion(versions.nextId)}>
            ›
          </button>
        </span>
      ) : null}
      {message.content ? <CopyButton text={message.content} /> : null}
      {isUser && handlers.onEdit ? (
        <button type="button" className="small" disabled={busy} onClick={handlers.onEdit}>
          Edit
        </button>
      ) : null}
      {!isUser && failed && handlers.onRetry ? (
        <button type="button" className="small primary" disabled={busy} onClick={handlers.onRetry}>
          Retry
        </button>
      ) : null}
      {!isUser && handlers.onRegenerate && message.status !== 'streaming' ? (
        <RegenerateMenu message={message} models={props.models} disabled={busy} onRegenerate={handlers.onRegenerate} />
      ) : null}
      {message.status !== 'streaming' ? (
        <button type="button" className="small" onClick={handlers.onDelete}>
          Delete
        </button>
      ) : null}
    </div>
  );
}

function RegenerateMenu({ message, models, disabled, onRegenerate }: { message: Message; models: readonly ModelInfo[]; disabled: boolean; onRegenerate: (model?: string) => void }) {
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  const stronger = strongerModel(models, message.tier);
  const others = models.filter((m) => m.id !== message.modelId);
  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
  }, [open]);
  const pick = (model?: string) => {
    setOpen(false);
    onRegenerate(model);
  };
  return (
    <span className="regenerate">
      <button type="button" className="small" disabled={disabled} onClick={() => onRegenerate()}>
        Regenerate
      </button>
      <button type="button" className="small" aria-label="Regenerate with…" aria-haspopup="menu" aria-expanded={open} disabled={disabled} onClick={() => setOpen((o) => !o)}>
        ▾
      </button>
      {open ? (
        <div
          className="menu"
          role="menu"
          aria-label="Regenerate with"
          ref={menu}
          onKeyDown={(e) => {
            const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not([disabled])') ?? [])];
            const at = items.indexOf(document.activeElement as HTMLButtonElement);
            if (e.key === 'Escape') setOpen(false);
            else if (e.key === 'ArrowDown') items[(at + 1) % items.length]?.focus();
            else if (e.key === 'ArrowUp') items[(at - 1 + items.length) % items.length]?.focus();
            else return;
            e.preventDefault();
          }}
        >
          <button type="button" role="menuitem" disabled={!stronger} title={stronger ? `Answers again on ${stronger.id}; similar requests learn to start there` : 'No stronger model is available: add a cloud key in Settings → Providers'} onClick={() => stronger && pick(stronger.id)}>
            A stronger tier{stronger ? ` (${stronger.id})` : ' (none available)'}
          </button>
          {others.map((m) => (
            <button key={m.id} type="button" role="menuitem" onClick={() => pick(m.id)}>
              {m.id}
            </button>
          ))}
        </div>
      ) : null}
    </span>
  );
}
