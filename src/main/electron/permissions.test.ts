import { describe, expect, it } from 'vitest';
import { allowPermission } from './permissions';

const ours = 'file:///app/out/renderer/index.html';
const trusted = (url: string) => url === ours;

describe('the desktop window’s permissions (issue #16)', () => {
  it('grant only clipboard writes, and only to our page', () => {
    expect(allowPermission('clipboard-sanitized-write', ours, trusted)).toBe(true);
    expect(allowPermission('clipboard-sanitized-write', 'https://evil.example/', trusted)).toBe(false);
    expect(allowPermission('clipboard-sanitized-write', undefined, trusted)).toBe(false);
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'hid', 'usb', 'serial', 'fullscreen', 'fileSystem', 'unknown']) {
      expect({ p, allowed: allowPermission(p, ours, trusted) }).toEqual({ p, allowed: false });
    }
  });
});
