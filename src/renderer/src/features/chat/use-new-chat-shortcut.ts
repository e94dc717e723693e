import { useEffect } from 'react';
import { useConversations } from '../../stores/conversations-store';

/** Ctrl+N (Cmd+N on macOS) opens a new, unsaved chat from any view (issue #14). */
export function useNewChatShortcut(openChat: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mac = navigator.platform.toLowerCase().includes('mac');
      if (e.key.toLowerCase() !== 'n' || e.shiftKey || e.altKey || !(mac ? e.metaKey : e.ctrlKey)) return;
      e.preventDefault();
      useConversations.getState().newChat();
      openChat();
      // The composer of the new chat, once it is on screen.
      requestAnimationFrame(() => document.getElementById('composer')?.focus());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openChat]);
}
