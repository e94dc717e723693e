import { describe, expect, it } from 'vitest';
import { formatBytes, formatContext, formatDuration, formatGiB, formatSpeed } from './format';

describe('format', () => {
  it('sizes and speeds as ollama.com shows them, memory in GiB', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(4_683_087_332)).toBe('4.7 GB');
    expect(formatBytes(274_000_000)).toBe('274 MB');
    expect(formatSpeed(35_200_000)).toBe('35.2 MB/s');
    expect(formatGiB(16 * 1024 ** 3)).toBe('16.0 GiB');
  });

  it('durations and context lengths', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(75)).toBe('1m 15s');
    expect(formatDuration(3725)).toBe('1h 2m');
    expect(formatContext(2048)).toBe('2K');
    expect(formatContext(131072)).toBe('128K');
    expect(formatContext(26368)).toBe('25K');
    expect(formatContext(2000)).toBe('2000');
  });
});
