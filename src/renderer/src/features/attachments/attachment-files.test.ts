import { describe, expect, it } from 'vitest';
import { formatBytes, toBase64, tooMany } from './attachment-files';

describe('attachment helpers', () => {
  it('formats sizes as a person reads them', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB');
  });

  it('says when a message would carry too many files', () => {
    expect(tooMany(9, 1)).toBeNull();
    expect(tooMany(9, 2)).toBe('A message can carry at most 10 files.');
  });

  it('encodes bytes as base64 across chunk boundaries', () => {
    const bytes = new Uint8Array(70_000).map((_, i) => i % 251);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});
