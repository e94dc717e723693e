/**
 * Which web permissions the app's own page gets: only writing to the clipboard (the Copy button of
 * Settings → API). Everything else — camera, microphone, notifications, geolocation, HID/USB/serial,
 * reading the clipboard, opening external apps, fullscreen … — is denied, as is any permission for
 * a page that is not ours. Plain TypeScript, so it is tested without Electron.
 */
const ALLOWED = new Set(['clipboard-sanitized-write']);

export function allowPermission(permission: string, requestingUrl: string | undefined, isTrustedUrl: (url: string) => boolean): boolean {
  return ALLOWED.has(permission) && requestingUrl !== undefined && isTrustedUrl(requestingUrl);
}
