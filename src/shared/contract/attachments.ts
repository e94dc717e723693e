import { z } from 'zod';
import { call } from './define';

/**
 * Attachments (issue #14, item 5): text and code files and PDFs become text the model reads with
 * the message (and the router counts); images go to vision models only. Limits are here so the
 * renderer can say them before a file is sent.
 */
export const ATTACHMENT_LIMITS = {
  /** Files on one message. */
  perMessage: 10,
  /** A text or code file (its text is sent with the message, so it counts against the context window). */
  textBytes: 1024 * 1024,
  /** A PDF: only its extracted text is kept and sent. */
  pdfBytes: 20 * 1024 * 1024,
  /** An image: OpenAI and Anthropic take up to about 20 MB and 5 MB; 5 MB suits both. */
  imageBytes: 5 * 1024 * 1024,
  /** Extracted text across one message's files (the same cap as a typed message). */
  totalTextChars: 400_000,
} as const;

export const AttachmentKind = z.enum(['text', 'pdf', 'image']);
export type AttachmentKind = z.infer<typeof AttachmentKind>;

/** Image types every vision API takes (OpenAI, Anthropic, Ollama). */
export const IMAGE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

const Name = z.string().trim().min(1, 'the file has no name').max(255, 'the file name is longer than 255 characters');
/** base64 of the largest file (a PDF) with its 4/3 growth. */
const MAX_BASE64 = Math.ceil((ATTACHMENT_LIMITS.pdfBytes * 4) / 3) + 4;

/** A file as the renderer read it, for `attachments.prepare`. */
export const AttachmentFile = z.object({
  name: Name,
  /** What the browser said (may be empty: the name's extension decides then). */
  mediaType: z.string().max(200),
  dataBase64: z.string().max(MAX_BASE64, 'the file is larger than 20 MB'),
});
export type AttachmentFile = z.infer<typeof AttachmentFile>;

/** A file ready to send: text for text, code and PDF files; base64 for images. */
export const PreparedAttachment = z.object({
  name: Name,
  kind: AttachmentKind,
  mediaType: z.string().max(200),
  sizeBytes: z.number().int().nonnegative(),
  text: z.string().max(ATTACHMENT_LIMITS.totalTextChars).nullable(),
  dataBase64: z.string().max(Math.ceil((ATTACHMENT_LIMITS.imageBytes * 4) / 3) + 4, 'the image is larger than 5 MB').nullable(),
  /** Estimated tokens the file adds to the prompt (text files and PDFs; images: 0, providers count them their own way). */
  tokens: z.number().int().nonnegative(),
});
export type PreparedAttachment = z.infer<typeof PreparedAttachment>;

/** What a stored message says about a file it carries (the text and bytes stay in main). */
export const AttachmentInfo = z.object({
  id: z.string(),
  name: z.string(),
  kind: AttachmentKind,
  mediaType: z.string(),
  sizeBytes: z.number(),
});
export type AttachmentInfo = z.infer<typeof AttachmentInfo>;

export const attachmentCalls = {
  /** Reads a file for the composer: extracts a PDF's text, checks type and size; a clear error otherwise. */
  'attachments.prepare': call(AttachmentFile.strict(), PreparedAttachment),
};
