import { useEffect } from 'react';
import { useChat } from '../../stores/chat-store';
import { useConversations } from '../../stores/conversations-store';
import { useLibrary } from '../../stores/library-store';

/** The DOM id of a message's article (MessageView sets it), so a search result can find it. */
export function messageElementId(messageId: string): string {
  return `message-${messageId}`;
}

/** Frames to wait for the message to be drawn before giving up (it may be in a branch not shown). */
const MAX_FRAMES = 120;

/**
 * Scrolls to the message a search result points at and highlights it, once its conversation is
 * open and loaded. Renders nothing.
 */
export function JumpToMessage() {
  const jump = useLibrary((s) => s.jump);
  const selectedId = useConversations((s) => s.selectedId);
  const loaded = useChat((s) => (jump ? (s.byConversation[jump.conversationId]?.some((m) => m.id === jump.messageId) ?? false) : false));

  useEffect(() => {
    if (!jump || !loaded || selectedId !== jump.conversationId) return;
    let frames = 0;
    let frame = requestAnimationFrame(function find() {
      const el = document.getElementById(messageElementId(jump.messageId));
      if (!el) {
        frame = frames++ < MAX_FRAMES ? requestAnimationFrame(find) : 0;
        if (!frame) useLibrary.getState().jumpTo(null);
        return;
      }
      for (const old of document.querySelectorAll('[data-search-hit]')) old.removeAttribute('data-search-hit');
      el.setAttribute('data-search-hit', 'true');
      el.scrollIntoView({ block: 'center' });
      // The chat scrolls to its end when a conversation loads; scroll once more after that has run.
      frame = requestAnimationFrame(() => {
        el.scrollIntoView({ block: 'center' });
        useLibrary.getState().jumpTo(null);
      });
    });
    return () => cancelAnimationFrame(frame);
  }, [jump, loaded, selectedId]);

  return null;
}
