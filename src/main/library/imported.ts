import type { ArchiveMessage, MessageStatus } from '../../shared/contract';

/** A message about to be stored by an import: its id is new, everything else comes from the file. */
export interface ImportedMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  modelId: string | null;
  status: MessageStatus;
  createdAt: number;
  finishedAt: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** A failed reply's error message. */
  error: string | null;
  /** Files the message carried (a Switchboard archive); absent: none. */
  attachments?: ArchiveMessage['attachments'];
}

export interface ImportedConversation {
  title: string;
  createdAt: number;
  updatedAt: number;
  lastModelId: string | null;
  cacheOptOut: boolean;
  messages: ImportedMessage[];
}
