import { timingSafeEqual } from 'node:crypto';
import { isLoopbackHostHeader } from '../net';

export interface AccessGuardOptions {
  token: string;
  port: () => number;
}

export type AccessDecision =
  | { allow: true; setCookie: string | null }
  | { allow: false; status: 401 | 403; message: string };

export interface AccessRequest {
  host: string | undefined;
  origin: string | undefined;
  authorization: string | undefined;
  cookie: string | undefined;
  queryToken: string | undefined;
}

/** The Origin of a page this server served: plain http, this machine, our port (`http://localhost:8787`). */
function isOwnOrigin(origin: string, port: number): boolean {
  if (!URL.canParse(origin)) return false;
  const url = new URL(origin);
  return url.protocol === 'http:' && url.origin === origin.toLowerCase() && isLoopbackHostHeader(url.host, port);
}

/**
 * Who may talk to the headless server: only pages and tools on this machine that hold the per-run
 * token. A foreign Host header (DNS rebinding) or Origin (another site in the user's browser) is
 * refused even with the token. The token arrives as a bearer header, a `?token=` in the URL the
 * server printed (then kept in an HttpOnly cookie named for the port), or that cookie.
 */
export class AccessGuard {
  constructor(private readonly options: AccessGuardOptions) {}

  cookieName(): string {
    return `sb_token_${this.options.port()}`;
  }

  check(req: AccessRequest): AccessDecision {
    const port = this.options.port();
    if (!isLoopbackHostHeader(req.host, port)) {
      return { allow: false, status: 403, message: `Host "${req.host ?? ''}" is not allowed; connect through 127.0.0.1:${port}.` };
    }
    if (req.origin !== undefined && !isOwnOrigin(req.origin, port)) {
      return { allow: false, status: 403, message: `Origin "${req.origin}" is not allowed.` };
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(req.authorization ?? '')?.[1]?.trim();
    const fromCookie = parseCookie(req.cookie, this.cookieName());
    if (req.queryToken !== undefined && this.matches(req.queryToken)) {
      return {
        allow: true,
        setCookie: `${this.cookieName()}=${encodeURIComponent(req.queryToken)}; HttpOnly; SameSite=Strict; Path=/`,
      };
    }
    if ((bearer && this.matches(bearer)) || (fromCookie && this.matches(fromCookie))) return { allow: true, setCookie: null };
    return {
      allow: false,
      status: 401,
      message: 'Missing or wrong access token. Open the URL that `npm run headless` printed (it carries ?token=…).',
    };
  }

  private matches(candidate: string): boolean {
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.options.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

function parseCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined; // a malformed cookie is no token: the request gets a 401, not a 500
      }
    }
  }
  return undefined;
}
