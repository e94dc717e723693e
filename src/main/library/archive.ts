import { visibleBranch } from '../../shared/chat-branch';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, type ArchiveConversation, type ArchiveMessage, type ConversationArchive, type Conversation, type DecisionRecord, type Message } from '../../shared/contract';

export interface ConversationWithMessages {
  conversation: Conversation;
  messages: Message[];
}

/** The archive of Export → JSON and Export all: every field a later import needs, plus the decision records. */
export function buildArchive(
  items: readonly ConversationWithMessages[],
  decisionsFor: (messageId: string) => DecisionRecord[],
  now: number,
  attachmentsOf: (messageId: string) => ArchiveMessage['attachments'] = () => [],
): ConversationArchive {
  return {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: now,
    conversations: items.map(({ conversation: c, messages }): ArchiveConversation => ({
      id: c.id,
      title: c.title,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      lastModelId: c.lastModelId,
      cacheOptOut: c.cacheOptOut,
      messages: messages.map((m) => ({
        id: m.id,
        role: m.role,
        content: m.content,
        modelId: m.modelId,
        status: m.status,
        createdAt: m.createdAt,
        finishedAt: m.finishedAt,
        promptTokens: m.promptTokens,
        completionTokens: m.completionTokens,
        tier: m.tier,
        error: m.error?.message ?? null,
        decisions: m.role === 'assistant' ? decisionsFor(m.id) : [],
        attachments: m.attachments?.length ? attachmentsOf(m.id) : [],
        // Every version travels, with the one shown: an import rebuilds the same branches.
        parentId: m.parentId ?? null,
        active: m.active !== false,
      })),
    })),
  };
}

/**
 * A conversation as Markdown: a heading per turn, the model and tier under each reply. Only the
 * versions shown (the visible branch): what the user reads, not every edit and regenerate.
 */
export function toMarkdown({ conversation, messages: all }: ConversationWithMessages, now: number): string {
  const messages = visibleBranch(all);
  const lines = [`# ${conversation.title}`, '', `_Exported from Switchboard on ${isoMinute(now)} · ${messages.length} message${messages.length === 1 ? '' : 's'}_`, ''];
  for (const m of messages) {
    const who = m.role === 'user' ? 'You' : m.role === 'assistant' ? 'Assistant' : 'System';
    const meta = m.role === 'assistant' ? [m.modelId, m.tier].filter(Boolean).join(', ') : '';
    lines.push(`## ${who}${meta ? ` (${meta})` : ''}`, '');
    lines.push(m.content || '_(no text)_', '');
    if (m.attachments?.length) lines.push(`Attached: ${m.attachments.map((a) => a.name).join(', ')}`, '');
    if (m.status === 'error' && m.error) lines.push(`> Failed: ${m.error.message}`, '');
    if (m.status === 'cancelled') lines.push('> Stopped before it finished.', '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** A file name from a title: letters, digits and dashes, never empty. */
export function fileStem(title: string): string {
  const stem = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return stem || 'conversation';
}

export function isoDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

function isoMinute(now: number): string {
  return `${new Date(now).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
