import { describe, expect, it } from 'vitest';
import { minimalPdf, ONE_PIXEL_PNG } from '../../../test/fixtures/minimal-pdf';
import { attachmentKindOf, prepareAttachment } from './attachment-reader';
import { fileBlock } from './chat-attachments';

const b64 = (s: string | Buffer) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s).toString('base64');

async function refusal(name: string, mediaType: string, data: string | Buffer): Promise<string> {
  const error = await prepareAttachment({ name, mediaType, dataBase64: b64(data) }).then(
    () => null,
    (e: Error & { code?: string }) => e,
  );
  expect(error?.code).toBe('invalid_input');
  return error!.message;
}

describe('attachmentKindOf', () => {
  it('knows text, code, PDFs and images by media type or extension', () => {
    expect(attachmentKindOf('notes.md', '')).toEqual({ kind: 'text', mediaType: 'text/plain' });
    expect(attachmentKindOf('main.rs', 'application/octet-stream')?.kind).toBe('text');
    expect(attachmentKindOf('Dockerfile', '')?.kind).toBe('text');
    expect(attachmentKindOf('data', 'text/csv')).toEqual({ kind: 'text', mediaType: 'text/csv' });
    expect(attachmentKindOf('paper.PDF', '')).toEqual({ kind: 'pdf', mediaType: 'application/pdf' });
    expect(attachmentKindOf('photo.jpg', '')).toEqual({ kind: 'image', mediaType: 'image/jpeg' });
    expect(attachmentKindOf('x', 'image/webp')).toEqual({ kind: 'image', mediaType: 'image/webp' });
    expect(attachmentKindOf('archive.zip', 'application/zip')).toBeNull();
    expect(attachmentKindOf('photo.heic', 'image/heic')).toBeNull();
  });
});

describe('prepareAttachment', () => {
  it('reads a text or code file as UTF-8, with its token estimate', async () => {
    const code = 'fn main() {\n    println!("héllo");\n}\n';
    const file = await prepareAttachment({ name: 'main.rs', mediaType: '', dataBase64: b64(`\uFEFF${code}`) });
    expect(file).toMatchObject({ name: 'main.rs', kind: 'text', sizeBytes: Buffer.byteLength(`\uFEFF${code}`), text: code, dataBase64: null });
    expect(file.tokens).toBeGreaterThan(5);
  });

  it("extracts a PDF's text in the main process (unpdf)", async () => {
    const pdf = minimalPdf(['Quarterly report (draft)', 'Revenue grew by 12 percent.']);
    const file = await prepareAttachment({ name: 'report.pdf', mediaType: 'application/pdf', dataBase64: pdf.toString('base64') });
    expect(file).toMatchObject({ kind: 'pdf', mediaType: 'application/pdf', sizeBytes: pdf.length, dataBase64: null });
    expect(file.text).toBe('Quarterly report (draft)\nRevenue grew by 12 percent.');
    expect(file.tokens).toBeGreaterThan(5);
  });

  it('keeps an image as base64 and names its real type', async () => {
    const file = await prepareAttachment({ name: 'pixel.png', mediaType: 'image/png', dataBase64: ONE_PIXEL_PNG });
    expect(file).toMatchObject({ kind: 'image', mediaType: 'image/png', text: null, dataBase64: ONE_PIXEL_PNG, tokens: 0 });
  });

  it('refuses what it cannot use, saying which file and why', async () => {
    expect(await refusal('a.zip', 'application/zip', 'PK')).toBe('“a.zip” is not a file Switchboard can attach: attach text or code files, PDFs, or PNG, JPEG, GIF or WebP images.');
    expect(await refusal('broken.pdf', 'application/pdf', '%PDF-1.4 this is not a pdf')).toMatch(/^“broken\.pdf” could not be read as a PDF \(.+\)\. It may be damaged/);
    expect(await refusal('scan.pdf', 'application/pdf', minimalPdf([]))).toMatch(/^“scan\.pdf” has no text to read \(a scanned PDF/);
    expect(await refusal('fake.png', 'image/png', 'not an image')).toMatch(/^“fake\.png” is not a PNG, JPEG, GIF or WebP image/);
    expect(await refusal('blob.txt', 'text/plain', Buffer.from([0xff, 0xfe, 0x00, 0x01]))).toMatch(/^“blob\.txt” is not UTF-8 text/);
    expect(await refusal('big.txt', 'text/plain', 'x'.repeat(1024 * 1024 + 1))).toBe('“big.txt” is 1 MB; a text file can be at most 1 MB.');
    expect(await refusal('huge.png', 'image/png', Buffer.alloc(5 * 1024 * 1024 + 10))).toBe('“huge.png” is 5 MB; an image can be at most 5 MB.');
  });
});

describe('fileBlock', () => {
  it('fences a file so the model sees where it starts and ends, longer than any fence inside', () => {
    expect(fileBlock('a.txt', 'hello')).toBe('Attached file “a.txt”:\n```\nhello\n```');
    expect(fileBlock('b.md', 'x\n````js\ny\n````')).toBe('Attached file “b.md”:\n`````\nx\n````js\ny\n````\n`````');
  });
});
