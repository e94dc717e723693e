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
  /**
   * Versions (a Switchboard archive that has them): the message's id in the file, its parent's id in
   * the file (null: a root) and whether it is the version shown. Absent: the message follows the one
   * before it and is shown, so a file without versions is one straight branch.
   */
  sourceId?: string;
  parentId?: string | null;
  active?: boolean;
}

export interface ImportedConversation {
  title: string;
  createdAt: number;
  updatedAt: number;
  lastModelId: string | null;
  cacheOptOut: boolean;
  messages: ImportedMessage[];
}
