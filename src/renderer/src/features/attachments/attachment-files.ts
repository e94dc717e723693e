import { ATTACHMENT_LIMITS } from '../../../../shared/contract';

/** Pastes longer than this collapse in the composer (issue #14) with "Show all" and "Attach as file". */
export const LARGE_PASTE_CHARS = 4_000;

/** "12 KB", "1.5 MB": a file's size on its chip. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Room left on one message, and the words when a file would not fit. */
export function tooMany(current: number, adding: number): string | null {
  return current + adding > ATTACHMENT_LIMITS.perMessage ? `A message can carry at most ${ATTACHMENT_LIMITS.perMessage} files.` : null;
}

/** A file's bytes as base64, in chunks (a spread of a large array would overflow the call stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
