import { randomUUID } from 'node:crypto';
import { ATTACHMENT_LIMITS, IMAGE_MEDIA_TYPES, type PreparedAttachment } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { isRoutingMode } from '../answer';
import type { ConversationMessage } from '../router';
import type { ImagePart } from '../runner';
import type { Db } from '../store';
import { megabytes, sniffImage } from './attachment-reader';

interface AttachmentRow {
  message_id: string;
  name: string;
  kind: PreparedAttachment['kind'];
  media_type: string;
  text: string | null;
  data_base64: string | null;
}

/** What the chat needs to know of the models (the router's inputs: Ollama /api/show and the catalog). */
export interface VisionModels {
  /** The installed models (RouteInputs keeps them a few seconds). */
  refresh(): Promise<void>;
  loadCapabilities(signal?: AbortSignal): Promise<void>;
  supportsVision(modelId: string): boolean;
}

/**
 * The files of chat messages (issue #14, item 5): stored with the message (migration 14), and put
 * into the message as the model reads it — a text file's or PDF's text before the typed words (so
 * the router counts its tokens against the context window and the route decision), an image as an
 * image part that only vision models are sent.
 */
export class ChatAttachments {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly vision: VisionModels,
  ) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO message_attachments (id, message_id, position, name, kind, media_type, size_bytes, text, data_base64, created_at)
         VALUES (@id, @messageId, @position, @name, @kind, @mediaType, @sizeBytes, @text, @dataBase64, @createdAt)`,
      ),
      of: db.prepare<[string], { position: number; name: string; kind: PreparedAttachment['kind']; media_type: string; size_bytes: number; text: string | null; data_base64: string | null }>(
        `SELECT position, name, kind, media_type, size_bytes, text, data_base64 FROM message_attachments WHERE message_id = ? ORDER BY position`,
      ),
    };
  }

  /**
   * Refuses what cannot be sent before anything is stored: too much text, or images to a chosen
   * model that cannot see them (Auto picks a vision model itself, or says none is available).
   */
  async check(model: string, attachments: readonly PreparedAttachment[], signal?: AbortSignal): Promise<void> {
    if (attachments.length > ATTACHMENT_LIMITS.perMessage) {
      throw new SwitchboardError('invalid_input', `One message can carry at most ${ATTACHMENT_LIMITS.perMessage} files; this one has ${attachments.length}. Remove some.`);
    }
    // The files come from the client: what `attachments.prepare` made sure of is made sure of again.
    for (const a of attachments) checkFile(a);
    const chars = attachments.reduce((n, a) => n + (a.text?.length ?? 0), 0);
    if (chars > ATTACHMENT_LIMITS.totalTextChars) {
      throw new SwitchboardError('invalid_input', `The attached files hold ${chars.toLocaleString('en')} characters of text; one message can carry at most ${ATTACHMENT_LIMITS.totalTextChars.toLocaleString('en')}. Remove a file.`);
    }
    for (const a of attachments) {
      if (a.kind === 'image' ? !a.dataBase64 : a.text === null) throw new SwitchboardError('invalid_input', `“${a.name}” arrived without its contents; attach it again.`);
    }
    if (!attachments.some((a) => a.kind === 'image')) return;
    await this.loadVision(signal);
    if (!isRoutingMode(model) && !this.vision.supportsVision(model)) {
      throw new SwitchboardError('invalid_input', `${model} cannot see images. Choose a vision model (for example llava or llama3.2-vision in Ollama), or Auto to let Switchboard pick one, or remove the image.`);
    }
  }

  /** Which models see images: Ollama's /api/show per installed model (a host that hangs is not waited on past 5 s). */
  private async loadVision(signal?: AbortSignal): Promise<void> {
    await this.vision.refresh();
    await this.vision.loadCapabilities(signal ? AbortSignal.any([signal, AbortSignal.timeout(5_000)]) : AbortSignal.timeout(5_000));
  }

  save(messageId: string, attachments: readonly PreparedAttachment[], now = Date.now()): void {
    this.db.transaction(() => {
      attachments.forEach((a, position) =>
        this.stmts.insert.run({ id: randomUUID(), messageId, position, name: a.name, kind: a.kind, mediaType: a.mediaType, sizeBytes: a.sizeBytes, text: a.text, dataBase64: a.dataBase64, createdAt: now }),
      );
    })();
  }

  /** Gives a new version of a message (an edit) the files of the one it replaces; returns how many. */
  copy(fromMessageId: string, toMessageId: string, now = Date.now()): number {
    return this.db.transaction(() => {
      const rows = this.stmts.of.all(fromMessageId);
      for (const r of rows) {
        this.stmts.insert.run({ id: randomUUID(), messageId: toMessageId, position: r.position, name: r.name, kind: r.kind, mediaType: r.media_type, sizeBytes: r.size_bytes, text: r.text, dataBase64: r.data_base64, createdAt: now });
      }
      return rows.length;
    })();
  }

  /**
   * The conversation as the model reads it: each user turn with its files; whether any image goes
   * (then the router must know which models see images, so their capabilities are read first).
   */
  async expand(history: readonly ConversationMessage[]): Promise<{ messages: ConversationMessage[]; hasImages: boolean }> {
    const ids = history.filter((m) => m.role === 'user').map((m) => m.id);
    if (ids.length === 0) return { messages: [...history], hasImages: false };
    const rows = this.db
      .prepare<string[], AttachmentRow>(`SELECT message_id, name, kind, media_type, text, data_base64 FROM message_attachments WHERE message_id IN (${ids.map(() => '?').join(',')}) ORDER BY message_id, position`)
      .all(...ids);
    if (rows.length === 0) return { messages: [...history], hasImages: false };
    const byMessage = new Map<string, AttachmentRow[]>();
    for (const r of rows) byMessage.set(r.message_id, [...(byMessage.get(r.message_id) ?? []), r]);
    let hasImages = false;
    const messages = history.map((m) => {
      const files = byMessage.get(m.id);
      if (!files) return m;
      const texts = files.filter((f) => f.text !== null).map((f) => fileBlock(f.name, f.text!));
      const images: ImagePart[] = files.filter((f) => f.kind === 'image' && f.data_base64).map((f) => ({ mediaType: f.media_type, data: f.data_base64! }));
      if (images.length) hasImages = true;
      return { ...m, content: [...texts, m.content].join('\n\n'), ...(images.length ? { images: [...(m.images ?? []), ...images] } : {}) };
    });
    if (hasImages) await this.loadVision();
    return { messages, hasImages };
  }
}

/**
 * What `attachments.prepare` guarantees, checked again on a file a client sends with a message: an
 * image of an allowed type whose bytes are that type, text files and PDFs as text only, and every
 * size within ATTACHMENT_LIMITS. A client that skipped prepare (or altered its result) is refused.
 */
export function checkFile(a: PreparedAttachment): void {
  const refuse = (why: string): never => {
    throw new SwitchboardError('invalid_input', `“${a.name}” cannot be sent: ${why}. Attach the file again.`);
  };
  if (a.kind === 'image') {
    if (!(IMAGE_MEDIA_TYPES as readonly string[]).includes(a.mediaType)) refuse(`${a.mediaType || 'an empty media type'} is not an image type Switchboard sends (PNG, JPEG, GIF or WebP)`);
    if (!a.dataBase64) refuse('the image arrived without its contents');
    if (a.text !== null) refuse('an image carries no text');
    const bytes = Buffer.from(a.dataBase64!, 'base64');
    if (bytes.length > ATTACHMENT_LIMITS.imageBytes || a.sizeBytes > ATTACHMENT_LIMITS.imageBytes) {
      refuse(`it is ${megabytes(Math.max(bytes.length, a.sizeBytes))}; an image can be at most ${megabytes(ATTACHMENT_LIMITS.imageBytes)}`);
    }
    if (a.sizeBytes !== bytes.length) refuse(`it says it is ${a.sizeBytes} bytes but holds ${bytes.length}`);
    const actual = sniffImage(bytes);
    if (actual !== a.mediaType) refuse(actual ? `it says it is ${a.mediaType} but its contents are ${actual}` : `its contents are not a PNG, JPEG, GIF or WebP image`);
    return;
  }
  if (a.text === null) refuse('the file arrived without its contents');
  if (a.dataBase64 !== null) refuse(`a ${a.kind === 'pdf' ? 'PDF' : 'text file'} is sent as its text only`);
  if (a.kind === 'pdf') {
    if (a.mediaType !== 'application/pdf') refuse(`a PDF has the media type application/pdf, not ${a.mediaType || 'an empty one'}`);
    if (a.sizeBytes > ATTACHMENT_LIMITS.pdfBytes) refuse(`it is ${megabytes(a.sizeBytes)}; a PDF can be at most ${megabytes(ATTACHMENT_LIMITS.pdfBytes)}`);
    return;
  }
  const size = Math.max(a.sizeBytes, Buffer.byteLength(a.text!, 'utf8'));
  if (size > ATTACHMENT_LIMITS.textBytes) refuse(`it is ${megabytes(size)}; a text file can be at most ${megabytes(ATTACHMENT_LIMITS.textBytes)}`);
}

/** A file's text fenced so the model sees where it starts and ends (a longer fence when the text has one). */
export function fileBlock(name: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `Attached file “${name}”:\n${fence}\n${text}\n${fence}`;
}
