import { z } from 'zod';
import type { ImportedConversation, ImportedMessage } from './imported';

/**
 * ChatGPT's data export (Settings → Data controls → Export): `conversations.json` is a list of
 * conversations, each a tree of nodes (`mapping`: id → { id, message, parent, children }) whose
 * `current_node` is the leaf of the branch the user last saw. Edits and regenerations are other
 * branches; we import the current one, root to leaf. Times are Unix seconds (floats).
 * Only the fields read here are checked; everything else in the file is left alone.
 */
const ChatGptMessage = z.object({
  author: z.object({ role: z.string() }),
  content: z
    .object({
      content_type: z.string().optional(),
      parts: z.array(z.unknown()).optional(),
      /** `code` and some tool messages carry `text` instead of `parts`. */
      text: z.string().optional(),
    })
    .nullable()
    .optional(),
  create_time: z.number().nullable().optional(),
  metadata: z.object({ model_slug: z.string().nullable().optional(), is_visually_hidden_from_conversation: z.boolean().optional() }).nullable().optional(),
});

const ChatGptNode = z.object({
  message: ChatGptMessage.nullable().optional(),
  parent: z.string().nullable().optional(),
  children: z.array(z.string()).optional(),
});

const ChatGptConversation = z.object({
  title: z.string().nullable().optional(),
  create_time: z.number().nullable().optional(),
  update_time: z.number().nullable().optional(),
  mapping: z.record(z.string(), ChatGptNode),
  current_node: z.string().nullable().optional(),
});

export const ChatGptExport = z.array(ChatGptConversation);
type ChatGptConversation = z.infer<typeof ChatGptConversation>;
type ChatGptNode = z.infer<typeof ChatGptNode>;

/** Something in the file is not what a ChatGPT export has; the message names where. */
export class ChatGptFormatError extends Error {}

/** The conversations of a ChatGPT `conversations.json` (already parsed as JSON). */
export function readChatGptExport(data: unknown): { conversations: ImportedConversation[]; skipped: string[] } {
  const parsed = ChatGptExport.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [index, ...rest] = issue.path;
    const where = typeof index === 'number' ? `conversation ${index + 1}${titleAt(data, index)}` : 'the file';
    throw new ChatGptFormatError(`${where}: ${rest.length ? `${rest.map(String).join('.')}: ` : ''}${issue.message}`);
  }
  const conversations: ImportedConversation[] = [];
  const skipped: string[] = [];
  parsed.data.forEach((c, i) => {
    const title = c.title?.trim() || `ChatGPT conversation ${i + 1}`;
    const messages = currentBranch(c, `conversation ${i + 1} (“${title}”)`)
      .map((node) => toMessage(node, skipped, title))
      .filter((m): m is ImportedMessage => m !== null);
    if (messages.length === 0) {
      skipped.push(`“${title}” has no messages to import.`);
      return;
    }
    const createdAt = seconds(c.create_time) ?? messages[0]!.createdAt;
    const updatedAt = seconds(c.update_time) ?? messages.at(-1)!.createdAt;
    // A message without its own time takes the conversation's, so the order stays as written.
    for (const m of messages) if (m.createdAt === 0) m.createdAt = createdAt;
    const lastModel = [...messages].reverse().find((m) => m.modelId)?.modelId ?? null;
    conversations.push({ title: title.slice(0, 200), createdAt, updatedAt, lastModelId: lastModel, cacheOptOut: false, messages });
  });
  return { conversations, skipped };
}

/** The nodes from the root to `current_node` (or the newest leaf when the file has none). */
function currentBranch(c: ChatGptConversation, where: string): ChatGptNode[] {
  const leafId = c.current_node ?? newestLeaf(c);
  if (leafId === null) return [];
  if (!c.mapping[leafId]) throw new ChatGptFormatError(`${where}: current_node “${leafId}” is not in mapping`);
  const branch: ChatGptNode[] = [];
  const seen = new Set<string>();
  let id: string | null | undefined = leafId;
  while (id) {
    if (seen.has(id)) throw new ChatGptFormatError(`${where}: mapping has a loop at node “${id}”`);
    seen.add(id);
    const node: ChatGptNode | undefined = c.mapping[id];
    if (!node) throw new ChatGptFormatError(`${where}: node “${[...seen].at(-2) ?? id}” has parent “${id}”, which is not in mapping`);
    branch.push(node);
    id = node.parent;
  }
  return branch.reverse();
}

function newestLeaf(c: ChatGptConversation): string | null {
  let best: { id: string; time: number } | null = null;
  for (const [id, node] of Object.entries(c.mapping)) {
    if (node.children?.length) continue;
    const time = node.message?.create_time ?? 0;
    if (!best || time >= best.time) best = { id, time };
  }
  return best?.id ?? null;
}

function toMessage(node: ChatGptNode, skipped: string[], title: string): ImportedMessage | null {
  const m = node.message;
  if (!m) return null;
  const role = m.author.role;
  // Tool output and ChatGPT's hidden system prompt are not part of the conversation as the user saw it.
  if (role !== 'user' && role !== 'assistant' && role !== 'system') return null;
  if (m.metadata?.is_visually_hidden_from_conversation) return null;
  const pieces: string[] = [];
  let images = 0;
  for (const part of m.content?.parts ?? []) {
    if (typeof part === 'string') pieces.push(part);
    else if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') pieces.push((part as { text: string }).text);
    else images += 1;
  }
  if (!m.content?.parts && typeof m.content?.text === 'string') pieces.push(m.content.text);
  if (images > 0) skipped.push(`“${title}”: ${images} image${images === 1 ? '' : 's'} or file${images === 1 ? '' : 's'} (the export holds only a pointer to ${images === 1 ? 'it' : 'them'}).`);
  const content = pieces.join('\n').trim();
  if (!content) return null;
  const slug = m.metadata?.model_slug;
  return {
    role,
    content,
    modelId: role === 'assistant' && slug ? `openai/${slug}` : null,
    status: 'complete',
    createdAt: seconds(m.create_time) ?? 0,
    finishedAt: null,
    promptTokens: null,
    completionTokens: null,
    error: null,
  };
}

function seconds(t: number | null | undefined): number | null {
  return typeof t === 'number' && Number.isFinite(t) && t > 0 ? Math.round(t * 1000) : null;
}

function titleAt(data: unknown, index: number): string {
  const item = Array.isArray(data) ? (data[index] as { title?: unknown } | undefined) : undefined;
  return typeof item?.title === 'string' && item.title ? ` (“${item.title}”)` : '';
}
