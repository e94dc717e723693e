import { describe, expect, it } from 'vitest';
import { AccessGuard, type AccessRequest } from './access-guard';

const PORT = 8787;
const guard = new AccessGuard({ token: 'secret', port: () => PORT });
const request = (over: Partial<AccessRequest>): AccessRequest => ({
  host: `127.0.0.1:${PORT}`,
  origin: undefined,
  authorization: 'Bearer secret',
  cookie: undefined,
  queryToken: undefined,
  ...over,
});

describe('AccessGuard: only this machine, on our port, with the token', () => {
  it('lets a loopback Host and a page of ours through', () => {
    for (const host of [`127.0.0.1:${PORT}`, `localhost:${PORT}`, `[::1]:${PORT}`]) {
      expect(guard.check(request({ host })).allow, host).toBe(true);
      expect(guard.check(request({ host, origin: `http://${host}` })).allow, host).toBe(true);
    }
  });

  it('refuses a foreign or lookalike Host, and an Origin that is not one of our pages', () => {
    for (const host of [`evil.example:${PORT}`, `localhost.evil.com:${PORT}`, `0.0.0.0:${PORT}`, `127.0.0.1:${PORT + 1}`, undefined]) {
      expect(guard.check(request({ host })), String(host)).toMatchObject({ allow: false, status: 403 });
    }
    for (const origin of ['http://evil.example', `http://localhost.evil.com:${PORT}`, `https://localhost:${PORT}`, `http://localhost:${PORT + 1}`, 'null', `http://localhost:${PORT}/x`]) {
      expect(guard.check(request({ origin })), origin).toMatchObject({ allow: false, status: 403 });
    }
  });

  it('still wants the token', () => {
    expect(guard.check(request({ authorization: undefined }))).toMatchObject({ allow: false, status: 401 });
  });
});
