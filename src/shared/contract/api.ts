import { z } from 'zod';
import { call } from './define';

/** The desktop app's OpenAI-compatible endpoint (Settings → API), stored in `Settings.apiServer`. */
export const ApiServerSettings = z
  .object({
    enabled: z.boolean(),
    port: z.number().int().min(1024, 'use a port from 1024 up').max(65535),
  })
  .strict();
export type ApiServerSettings = z.infer<typeof ApiServerSettings>;

export const ApiStatus = z.object({
  /** Where `/v1` is served now: the desktop server, or the headless server itself; null when off. */
  baseUrl: z.string().nullable(),
  /** `desktop`: the server toggled in Settings; `headless`: mounted on the headless server. */
  mount: z.enum(['desktop', 'headless']).nullable(),
  running: z.boolean(),
  settings: ApiServerSettings,
  /** The bearer token clients send (`Authorization: Bearer …`). */
  token: z.string(),
  /** `env`: SWITCHBOARD_API_TOKEN; `keychain`; `database` when the keychain is unavailable. */
  tokenSource: z.enum(['env', 'keychain', 'database']),
  /** Why the server is not running when it should be (port in use …). */
  error: z.string().nullable(),
});
export type ApiStatus = z.infer<typeof ApiStatus>;

export const apiCalls = {
  'api.status': call(z.object({}).strict(), ApiStatus),
  /** A new random token; clients with the old one get 401. Refused while SWITCHBOARD_API_TOKEN is set. */
  'api.rotateToken': call(z.object({}).strict(), ApiStatus),
};
