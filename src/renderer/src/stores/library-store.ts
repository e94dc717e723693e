import { create } from 'zustand';
import type { ExportFile, ImportResult, SearchHit } from '../../../shared/contract';
import { client } from '../client/switchboard-client';
import { errorText } from './errors';

/** Where a search result takes the chat: this message, scrolled to and highlighted. */
export interface JumpTarget {
  conversationId: string;
  messageId: string;
}

interface LibraryState {
  query: string;
  hits: SearchHit[];
  /** The query the hits answer (results of an older query that arrive late are dropped). */
  answered: string;
  searchError: string | null;
  jump: JumpTarget | null;
  setQuery(query: string): void;
  search(query: string): Promise<void>;
  clearSearch(): void;
  jumpTo(target: JumpTarget | null): void;
  exportConversation(id: string, format: 'markdown' | 'json'): Promise<ExportFile>;
  exportAll(): Promise<ExportFile>;
  importFile(file: File): Promise<ImportResult>;
}

export const useLibrary = create<LibraryState>((set, get) => ({
  query: '',
  hits: [],
  answered: '',
  searchError: null,
  jump: null,
  setQuery(query) {
    set({ query });
  },
  async search(query) {
    if (!query.trim()) {
      set({ hits: [], answered: query, searchError: null });
      return;
    }
    try {
      const { hits } = await client().invoke('library.search', { query: query.slice(0, 500) });
      if (get().query === query) set({ hits, answered: query, searchError: null });
    } catch (error) {
      if (get().query === query) set({ hits: [], answered: query, searchError: errorText(error) });
    }
  },
  clearSearch() {
    set({ query: '', hits: [], answered: '', searchError: null });
  },
  jumpTo(jump) {
    set({ jump });
  },
  exportConversation(id, format) {
    return client().invoke('library.exportConversation', { id, format });
  },
  exportAll() {
    return client().invoke('library.exportAll', {});
  },
  async importFile(file) {
    const content = await file.text();
    return client().invoke('library.import', { content, filename: file.name });
  },
}));

/** Saves a file the main process built, through the browser's download (desktop and headless alike). */
export function downloadFile(file: ExportFile): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: `${file.mimeType};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked after the click has been handled: the download has its own reference by then.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
