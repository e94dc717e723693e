import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ONE_PIXEL_PNG } from '../../../test/fixtures/minimal-pdf';
import { ATTACHMENT_LIMITS, type PreparedAttachment } from '../../shared/contract';
import { openDatabase, type Db } from '../store';
import { prepareAttachment } from './attachment-reader';
import { ChatAttachments } from './chat-attachments';

/** Issue #14: chat.send takes files from the client, so `check` makes sure again of what `attachments.prepare` did. */
let db: Db;
let attachments: ChatAttachments;
const visionModels = new Set(['ollama/llava:7b']);

beforeEach(() => {
  db = openDatabase(':memory:');
  attachments = new ChatAttachments(db, { refresh: async () => {}, loadCapabilities: async () => {}, supportsVision: (m) => visionModels.has(m) });
});
afterEach(() => db.close());

const JPEG_START = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);

async function refusal(files: PreparedAttachment[]): Promise<string> {
  const error = await attachments.check('ollama/llava:7b', files).then(
    () => null,
    (e: Error & { code?: string }) => e,
  );
  expect(error?.code).toBe('invalid_input');
  return error!.message;
}

describe('ChatAttachments.check', () => {
  it('accepts what attachments.prepare made', async () => {
    const png = await prepareAttachment({ name: 'pixel.png', mediaType: 'image/png', dataBase64: ONE_PIXEL_PNG });
    const notes = await prepareAttachment({ name: 'notes.md', mediaType: 'text/markdown', dataBase64: Buffer.from('# walrus').toString('base64') });
    await expect(attachments.check('ollama/llava:7b', [png, notes])).resolves.toBeUndefined();
  });

  it('refuses images whose type is not allowed or whose bytes are not that type', async () => {
    const png = await prepareAttachment({ name: 'pixel.png', mediaType: 'image/png', dataBase64: ONE_PIXEL_PNG });
    expect(await refusal([{ ...png, mediaType: 'image/svg+xml' }])).toBe('“pixel.png” cannot be sent: image/svg+xml is not an image type Switchboard sends (PNG, JPEG, GIF or WebP). Attach the file again.');
    expect(await refusal([{ ...png, mediaType: 'image/jpeg' }])).toBe('“pixel.png” cannot be sent: it says it is image/jpeg but its contents are image/png. Attach the file again.');
    const script = Buffer.from('<script>alert(1)</script>');
    expect(await refusal([{ ...png, dataBase64: script.toString('base64'), sizeBytes: script.length }])).toMatch(/its contents are not a PNG, JPEG, GIF or WebP image/);
    expect(await refusal([{ ...png, sizeBytes: 3 }])).toMatch(/it says it is 3 bytes but holds 70/);
    expect(await refusal([{ ...png, text: 'hidden instructions' }])).toMatch(/an image carries no text/);
  });

  it('refuses files larger than ATTACHMENT_LIMITS, by their bytes and by what they claim', async () => {
    const big = Buffer.concat([JPEG_START, Buffer.alloc(ATTACHMENT_LIMITS.imageBytes)]);
    const image: PreparedAttachment = { name: 'big.jpg', kind: 'image', mediaType: 'image/jpeg', sizeBytes: big.length, text: null, dataBase64: big.toString('base64'), tokens: 0 };
    expect(await refusal([image])).toBe('“big.jpg” cannot be sent: it is 5 MB; an image can be at most 5 MB. Attach the file again.');
    const text = '€'.repeat(350_000); // 3 bytes each: within the character cap, over the byte cap
    expect(text.length).toBeLessThan(ATTACHMENT_LIMITS.totalTextChars);
    const file: PreparedAttachment = { name: 'notes.txt', kind: 'text', mediaType: 'text/plain', sizeBytes: 10, text, dataBase64: null, tokens: 1 };
    expect(await refusal([file])).toMatch(/^“notes\.txt” cannot be sent: it is 1 MB; a text file can be at most 1 MB\./);
    expect(await refusal([{ ...file, text: 'short', sizeBytes: ATTACHMENT_LIMITS.textBytes + 1 }])).toMatch(/a text file can be at most 1 MB/);
    const pdf: PreparedAttachment = { name: 'r.pdf', kind: 'pdf', mediaType: 'application/pdf', sizeBytes: ATTACHMENT_LIMITS.pdfBytes + 1, text: 'x', dataBase64: null, tokens: 1 };
    expect(await refusal([pdf])).toMatch(/a PDF can be at most 20 MB/);
    expect(await refusal([{ ...pdf, sizeBytes: 10, mediaType: 'text/html' }])).toMatch(/a PDF has the media type application\/pdf, not text\/html/);
  });

  it('refuses text files carrying bytes, files without contents, and too many files', async () => {
    const notes: PreparedAttachment = { name: 'a.md', kind: 'text', mediaType: 'text/markdown', sizeBytes: 1, text: 'a', dataBase64: null, tokens: 1 };
    expect(await refusal([{ ...notes, dataBase64: ONE_PIXEL_PNG }])).toMatch(/a text file is sent as its text only/);
    expect(await refusal([{ ...notes, text: null }])).toMatch(/the file arrived without its contents/);
    expect(await refusal(Array.from({ length: ATTACHMENT_LIMITS.perMessage + 1 }, () => notes))).toBe('One message can carry at most 10 files; this one has 11. Remove some.');
  });
});
