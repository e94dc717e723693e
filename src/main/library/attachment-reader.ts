import path from 'node:path';
import { ATTACHMENT_LIMITS, IMAGE_MEDIA_TYPES, type AttachmentFile, type PreparedAttachment } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { estimateTextTokens } from '../runner';

/**
 * Extensions read as text (code, data, prose). A file the browser calls `text/*` is text too; any
 * other file must be one of these, a PDF or an image: a binary file sent as text would be noise
 * the model pays for.
 */
const TEXT_EXTENSIONS = new Set(
  (
    'txt md markdown rst adoc org csv tsv json jsonl ndjson yaml yml toml ini cfg conf env properties xml html htm css scss sass less svg ' +
    'js mjs cjs jsx ts mts cts tsx vue svelte astro py pyi ipynb rb php pl pm lua r jl go rs c h cc cpp cxx hpp hh m mm swift kt kts java scala ' +
    'groovy gradle cs fs fsx vb sql sh bash zsh fish ps1 bat cmd dockerfile makefile cmake mk proto graphql gql tf hcl nix ex exs erl hrl ' +
    'elm hs clj cljs edn dart zig v sol log diff patch tex bib'
  ).split(' '),
);
const TEXT_NAMES = new Set(['dockerfile', 'makefile', 'license', 'readme', 'gemfile', 'rakefile', 'procfile', '.gitignore', '.env']);
const IMAGE_BY_EXTENSION: Record<string, (typeof IMAGE_MEDIA_TYPES)[number]> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

function invalid(message: string): SwitchboardError {
  return new SwitchboardError('invalid_input', message);
}

export function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/** What kind of file this is, from its name and the browser's media type; null: not one we take. */
export function attachmentKindOf(name: string, mediaType: string): { kind: PreparedAttachment['kind']; mediaType: string } | null {
  const ext = path.extname(name).slice(1).toLowerCase();
  const type = mediaType.toLowerCase().split(';')[0]!.trim();
  if (type === 'application/pdf' || ext === 'pdf') return { kind: 'pdf', mediaType: 'application/pdf' };
  const image = (IMAGE_MEDIA_TYPES as readonly string[]).includes(type) ? type : IMAGE_BY_EXTENSION[ext];
  if (image) return { kind: 'image', mediaType: image };
  if (type.startsWith('text/') || TEXT_EXTENSIONS.has(ext) || TEXT_NAMES.has(name.toLowerCase()) || type === 'application/json' || type === 'application/xml') {
    return { kind: 'text', mediaType: type || 'text/plain' };
  }
  return null;
}

/** The image format its first bytes say (PNG, JPEG, GIF, WebP signatures), or null. */
export function sniffImage(bytes: Buffer): string | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

/**
 * Reads a file for a message: a text or code file as UTF-8, a PDF's text (extracted here with
 * unpdf, the maintained pdf.js build for servers), an image checked and kept as base64.
 * Every refusal says what is wrong with which file and what would work.
 */
export async function prepareAttachment(file: AttachmentFile): Promise<PreparedAttachment> {
  const name = file.name.trim();
  const kind = attachmentKindOf(name, file.mediaType);
  if (!kind) {
    throw invalid(`“${name}” is not a file Switchboard can attach: attach text or code files, PDFs, or PNG, JPEG, GIF or WebP images.`);
  }
  const bytes = Buffer.from(file.dataBase64, 'base64');
  const limit = kind.kind === 'pdf' ? ATTACHMENT_LIMITS.pdfBytes : kind.kind === 'image' ? ATTACHMENT_LIMITS.imageBytes : ATTACHMENT_LIMITS.textBytes;
  if (bytes.length > limit) {
    throw invalid(`“${name}” is ${megabytes(bytes.length)}; ${kind.kind === 'image' ? 'an image' : kind.kind === 'pdf' ? 'a PDF' : 'a text file'} can be at most ${megabytes(limit)}.`);
  }
  const base = { name, kind: kind.kind, mediaType: kind.mediaType, sizeBytes: bytes.length };
  if (kind.kind === 'image') {
    const actual = sniffImage(bytes);
    if (!actual) throw invalid(`“${name}” is not a PNG, JPEG, GIF or WebP image (its contents are not an image of those kinds).`);
    return { ...base, mediaType: actual, text: null, dataBase64: bytes.toString('base64'), tokens: 0 };
  }
  const text = kind.kind === 'pdf' ? await pdfText(name, bytes) : utf8Text(name, bytes);
  if (text.length > ATTACHMENT_LIMITS.totalTextChars) {
    throw invalid(`“${name}” holds ${text.length.toLocaleString('en')} characters of text; a message can carry at most ${ATTACHMENT_LIMITS.totalTextChars.toLocaleString('en')}.`);
  }
  return { ...base, text, dataBase64: null, tokens: estimateTextTokens(text) };
}

function utf8Text(name: string, bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid(`“${name}” is not UTF-8 text (it looks like a binary file). Attach text or code files, PDFs or images.`);
  }
  if (text.includes('\u0000')) throw invalid(`“${name}” is not a text file (it holds binary data). Attach text or code files, PDFs or images.`);
  return text.replace(/^\uFEFF/, '');
}

async function pdfText(name: string, bytes: Buffer): Promise<string> {
  // Loaded on first use: pdf.js is large and most sessions attach no PDF.
  const { extractText, getDocumentProxy } = await import('unpdf');
  let text: string;
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 }); // 0: pdf.js writes no warnings to the console
    try {
      text = (await extractText(pdf, { mergePages: true })).text;
    } finally {
      await pdf.loadingTask.destroy();
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/password/i.test(reason)) throw invalid(`“${name}” is protected with a password; Switchboard cannot read it. Remove the password and attach it again.`);
    throw invalid(`“${name}” could not be read as a PDF (${reason}). It may be damaged; try exporting it again.`);
  }
  const trimmed = text.trim();
  if (!trimmed) throw invalid(`“${name}” has no text to read (a scanned PDF holds only pictures of pages). Attach its pages as images for a vision model instead.`);
  return trimmed;
}
