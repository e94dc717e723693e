import { useState } from 'react';
import type { Conversation } from '../../../../shared/contract';
import { client } from '../../client/switchboard-client';
import { useConversations } from '../../stores/conversations-store';
import { errorText } from '../../stores/errors';
import './cache.css';

/** The chat header's switch: this conversation uses the response cache, or opts out of it. */
export function CacheToggle({ conversation }: { conversation: Conversation | null }) {
  // Shown at once, not after the round trip (a controlled checkbox would otherwise spring back).
  const [pending, setPending] = useState<boolean | null>(null);
  if (!conversation) return null;
  const toggle = async (useCache: boolean) => {
    setPending(useCache);
    try {
      const updated = await client().invoke('conversations.update', { id: conversation.id, cacheOptOut: !useCache });
      useConversations.getState().applyChanged({ conversation: updated });
    } catch (error) {
      useConversations.setState({ error: errorText(error) });
    } finally {
      setPending(null);
    }
  };
  return (
    <label className="cache-toggle" title="Replies in this conversation may come from (and go into) the response cache. Turn off for answers that must always be fresh.">
      <input type="checkbox" checked={pending ?? !conversation.cacheOptOut} onChange={(e) => void toggle(e.target.checked)} />
      Use cache
    </label>
  );
}
