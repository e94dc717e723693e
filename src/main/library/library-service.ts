import type { DecisionRecord, ExportFile, ImportResult, SearchHit } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import type { EventBus } from '../events/event-bus';
import type { ConversationsRepo, Db, MessagesRepo } from '../store';
import { buildArchive, fileStem, isoDay, toMarkdown, type ConversationWithMessages } from './archive';
import { ConversationSearch } from './conversation-search';
import { readImportFile } from './import-file';
import { LibraryStore } from './library-store';

export interface LibraryServiceDeps {
  db: Db;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  events: EventBus;
  /** A reply's decision records ("Why this model?"), oldest first. */
  decisionsFor: (messageId: string) => DecisionRecord[];
  now?: () => number;
}

/** Search, export and import of conversations (issue #14, items 6 and 7). */
export class LibraryService {
  private readonly search_: ConversationSearch;
  private readonly store: LibraryStore;
  private readonly now: () => number;

  constructor(private readonly deps: LibraryServiceDeps) {
    this.search_ = new ConversationSearch(deps.db);
    this.store = new LibraryStore(deps.db);
    this.now = deps.now ?? Date.now;
  }

  search(query: string, limit?: number): SearchHit[] {
    return this.search_.search(query, limit);
  }

  exportConversation(id: string, format: 'markdown' | 'json'): ExportFile {
    const item = this.load(id);
    const now = this.now();
    const stem = fileStem(item.conversation.title);
    if (format === 'markdown') return { filename: `${stem}.md`, mimeType: 'text/markdown', content: toMarkdown(item, now) };
    return { filename: `${stem}.json`, mimeType: 'application/json', content: json(buildArchive([item], this.deps.decisionsFor, now, (id) => this.store.attachmentsOf(id))) };
  }

  exportAll(): ExportFile {
    const now = this.now();
    const items = this.deps.conversations.list().map((c) => this.load(c.id));
    return { filename: `switchboard-conversations-${isoDay(now)}.json`, mimeType: 'application/json', content: json(buildArchive(items, this.deps.decisionsFor, now, (id) => this.store.attachmentsOf(id))) };
  }

  import(content: string, filename?: string): ImportResult {
    const read = readImportFile(content, filename ? `“${filename}”` : 'The file');
    if (read.conversations.length === 0) {
      throw new SwitchboardError('invalid_input', `${filename ? `“${filename}”` : 'The file'} holds no conversations to import.`);
    }
    const ids = this.store.insert(read.conversations);
    for (const id of ids) this.deps.events.emit('conversations.changed', { conversation: this.deps.conversations.get(id) });
    return {
      format: read.format,
      conversationIds: ids,
      messages: read.conversations.reduce((n, c) => n + c.messages.length, 0),
      skipped: read.skipped,
    };
  }

  private load(id: string): ConversationWithMessages {
    const conversation = this.deps.conversations.get(id);
    if (!conversation) throw new SwitchboardError('not_found', 'That conversation no longer exists.');
    return { conversation, messages: this.deps.messages.listByConversation(id) };
  }
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
