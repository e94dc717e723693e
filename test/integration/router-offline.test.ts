import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createGuardedFetch, installGlobalFetchGuard, OutboundLog } from '../../src/main/net';

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

/** A real HTTP server on a loopback address, counting the TCP connections it accepts. */
async function server(host: string, handler: http.RequestListener) {
  const s = http.createServer(handler);
  let connections = 0;
  s.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => s.listen(0, host, resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections(); // fetch keeps connections alive
      }),
  );
  return { url: `http://${host}:${(s.address() as AddressInfo).port}`, connections: () => connections };
}

function spyFetch() {
  const urls: string[] = [];
  const base = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    urls.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  }) as typeof fetch;
  return { base, urls };
}

describe('offline guard against real sockets', () => {
  it('refuses a non-loopback address without calling fetch, and lets loopback reach a real server', async () => {
    const local = await server('127.0.0.1', (_req, res) => res.end('pong'));
    const { base, urls } = spyFetch();
    const log = new OutboundLog();
    const guarded = createGuardedFetch({ base, isOffline: () => true, localHosts: () => [], log });

    await expect(guarded('http://203.0.113.7/v1/models')).rejects.toMatchObject({ code: 'offline' });
    expect(urls).toEqual([]);

    const res = await guarded(`${local.url}/ping`);
    expect(await res.text()).toBe('pong');
    expect(local.connections()).toBe(1);
    expect(log.recent().map((e) => [e.host, e.allowed])).toEqual([
      [new URL(local.url).host, true],
      ['203.0.113.7', false],
    ]);
  });

  it('does not follow a local redirect out to the internet', async () => {
    const local = await server('127.0.0.1', (_req, res) => {
      res.writeHead(302, { location: 'http://203.0.113.7/exfiltrate' }).end();
    });
    const { base, urls } = spyFetch();
    const guarded = createGuardedFetch({ base, isOffline: () => true, localHosts: () => [], log: new OutboundLog() });
    await expect(guarded(`${local.url}/start`)).rejects.toMatchObject({ code: 'offline' });
    expect(urls).toEqual([`${local.url}/start`]);
  });

  it('the global fetch guard stops an unguarded fetch before undici connects', async () => {
    // 127.0.0.2 stands in for a remote host: the injected policy refuses it, and the server counts connections.
    const target = net.createServer((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok'));
    let connections = 0;
    const sockets = new Set<net.Socket>();
    target.on('connection', (socket) => {
      connections += 1;
      sockets.add(socket);
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.2', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          target.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        }),
    );
    const url = `http://127.0.0.2:${(target.address() as AddressInfo).port}/`;

    let offline = true;
    const log = new OutboundLog();
    const uninstall = await installGlobalFetchGuard({
      isOffline: () => offline,
      localHosts: () => [],
      log,
      policy: (u) => (u.hostname === '127.0.0.2' ? { allowed: false, reason: 'test: treated as remote' } : { allowed: true, reason: 'loopback' }),
    });
    closers.push(uninstall);

    await expect(fetch(url)).rejects.toThrow();
    expect(connections).toBe(0);
    expect(log.recent()[0]).toMatchObject({ purpose: 'unguarded', allowed: false, host: new URL(url).host });

    offline = false;
    expect(await (await fetch(url)).text()).toBe('ok');
    expect(connections).toBe(1);
  });
});
