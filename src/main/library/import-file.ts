import { ARCHIVE_FORMAT, ARCHIVE_VERSION, ConversationArchive, type ImportFormat } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { ChatGptFormatError, readChatGptExport } from './chatgpt-export';
import type { ImportedConversation } from './imported';

export interface ReadImport {
  format: ImportFormat;
  conversations: ImportedConversation[];
  skipped: string[];
}

/**
 * Reads a file to import: a Switchboard archive (Export all / Export → JSON) or ChatGPT's
 * `conversations.json`. Anything else is refused with what is wrong, in words that name the place.
 */
export function readImportFile(text: string, filename = 'the file'): ReadImport {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw invalid(`${filename} is not valid JSON (${(error as Error).message}). Choose a Switchboard archive or ChatGPT's conversations.json.`);
  }
  if (Array.isArray(data)) {
    try {
      return { format: 'chatgpt', ...readChatGptExport(data) };
    } catch (error) {
      if (error instanceof ChatGptFormatError) throw invalid(`${filename} looks like a ChatGPT export, but ${error.message}.`);
      throw error;
    }
  }
  if (data && typeof data === 'object' && (data as { format?: unknown }).format === ARCHIVE_FORMAT) {
    const version = (data as { version?: unknown }).version;
    if (version !== ARCHIVE_VERSION) {
      throw invalid(`${filename} is a Switchboard archive of version ${String(version)}; this Switchboard reads version ${ARCHIVE_VERSION}. Update Switchboard to import it.`);
    }
    const parsed = ConversationArchive.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw invalid(`${filename} is a Switchboard archive, but ${placeOf(issue.path, data)}: ${issue.message}.`);
    }
    return {
      format: 'switchboard',
      skipped: [],
      conversations: parsed.data.conversations.map((c) => ({
        title: c.title.trim().slice(0, 200) || 'Imported chat',
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
        lastModelId: c.lastModelId,
        cacheOptOut: c.cacheOptOut,
        messages: c.messages.map((m) => ({
          role: m.role,
          content: m.content,
          modelId: m.modelId,
          status: m.status,
          createdAt: m.createdAt,
          finishedAt: m.finishedAt,
          promptTokens: m.promptTokens,
          completionTokens: m.completionTokens,
          error: m.error,
          attachments: m.attachments,
          sourceId: m.id,
          ...(m.parentId !== undefined ? { parentId: m.parentId } : {}),
          ...(m.active !== undefined ? { active: m.active } : {}),
        })),
      })),
    };
  }
  throw invalid(
    `${filename} is not a file Switchboard can import: expected a Switchboard archive (a JSON object with "format": "${ARCHIVE_FORMAT}") or ChatGPT's conversations.json (a JSON list of conversations).`,
  );
}

function invalid(message: string): SwitchboardError {
  return new SwitchboardError('invalid_input', message);
}

/** `conversations.2.messages.0.role` → `conversation 3 (“Title”), message 1, role`. */
function placeOf(path: readonly PropertyKey[], data: unknown): string {
  if (path[0] !== 'conversations' || typeof path[1] !== 'number') return path.length ? path.map(String).join('.') : 'the archive';
  const conversation = (data as { conversations: Array<{ title?: unknown }> }).conversations[path[1]];
  const title = typeof conversation?.title === 'string' && conversation.title ? ` (“${conversation.title}”)` : '';
  const parts = [`conversation ${path[1] + 1}${title}`];
  if (path[2] === 'messages' && typeof path[3] === 'number') {
    parts.push(`message ${path[3] + 1}`);
    if (path.length > 4) parts.push(path.slice(4).map(String).join('.'));
  } else if (path.length > 2) parts.push(path.slice(2).map(String).join('.'));
  return parts.join(', ');
}
