import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../shared/errors';
import { createGuardedFetch } from './guarded-fetch';
import { isLoopbackHost, offlineVerdict } from './host-policy';
import { OutboundLog, SqliteOutboundSink } from './outbound-log';
import { openDatabase } from '../store/database';
import { MIGRATIONS } from '../store/migrations';

function setup(options: { offline?: boolean; localHosts?: string[]; respond?: (url: string, init?: RequestInit) => Response } = {}) {
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  const base = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    calls.push({ url, init });
    return options.respond?.(url, init) ?? new Response('ok');
  }) as typeof fetch;
  let offline = options.offline ?? true;
  const log = new OutboundLog({ capacity: 10 });
  const guarded = createGuardedFetch({ base, isOffline: () => offline, localHosts: () => options.localHosts ?? [], log, now: () => 42 });
  return { guarded, calls, log, setOffline: (v: boolean) => (offline = v) };
}

describe('createGuardedFetch', () => {
  it('offline: refuses a cloud request before the base fetch is called, and logs it without the query', async () => {
    const { guarded, calls, log } = setup();
    const error = await guarded('https://api.groq.com/openai/v1/chat/completions?key=secret', { method: 'post' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchboardError);
    expect(error).toMatchObject({ code: 'offline', retryable: false, message: expect.stringMatching(/Offline mode is on, so the groq request to api\.groq\.com was not sent/) });
    expect(calls).toHaveLength(0);
    expect(log.recent()).toEqual([
      { at: 42, method: 'POST', host: 'api.groq.com', url: 'https://api.groq.com/openai/v1/chat/completions', purpose: 'groq', allowed: false, reason: expect.stringMatching(/neither this machine/) },
    ]);
  });

  it('offline: lets loopback and the configured Ollama hosts through', async () => {
    const { guarded, calls, log } = setup({ localHosts: ['http://192.168.1.20:11434'] });
    await guarded('http://127.0.0.1:11434/api/tags');
    await guarded(new URL('http://[::1]:8080/x'));
    await guarded(new Request('http://192.168.1.20:11434/api/chat', { method: 'POST', body: '{}' }));
    expect(calls).toHaveLength(3);
    expect(log.recent().map((e) => [e.host, e.allowed, e.reason])).toEqual([
      ['192.168.1.20:11434', true, 'local-host'],
      ['[::1]:8080', true, 'loopback'],
      ['127.0.0.1:11434', true, 'loopback'],
    ]);
    await expect(guarded('http://192.168.1.20:8080/')).rejects.toMatchObject({ code: 'offline' });
    expect(calls).toHaveLength(3);
  });

  it('online: everything goes, and is logged with its purpose', async () => {
    const { guarded, calls, log } = setup({ offline: false });
    await guarded.forPurpose('catalog.refresh')('https://openrouter.ai/api/v1/models');
    expect(calls).toHaveLength(1);
    expect(log.recent()[0]).toMatchObject({ purpose: 'catalog.refresh', allowed: true, reason: 'online' });
  });

  it('offline: follows redirects by hand and refuses one that leaves the machine', async () => {
    const { guarded, calls, log } = setup({
      respond: (url) =>
        url.endsWith('/hop') ? new Response(null, { status: 302, headers: { location: '/final' } }) : url.endsWith('/out') ? new Response(null, { status: 307, headers: { location: 'https://evil.example/x' } }) : new Response('done'),
    });
    const res = await guarded('http://localhost:9/hop');
    expect(await res.text()).toBe('done');
    expect(calls.map((c) => [c.url, c.init?.redirect])).toEqual([
      ['http://localhost:9/hop', 'manual'],
      ['http://localhost:9/final', 'manual'],
    ]);
    await expect(guarded('http://localhost:9/out')).rejects.toMatchObject({ code: 'offline' });
    expect(calls).toHaveLength(3);
    expect(log.recent()[0]).toMatchObject({ host: 'evil.example', allowed: false });
  });
});

describe('offline host policy', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['[::1]', true],
    ['::ffff:7f00:1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['10.0.0.1', false],
    ['localtest.me', false],
    ['::ffff:a00:1', false],
  ])('%s loopback: %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it('normalises what the URL parser normalises, and refuses other schemes', () => {
    expect(offlineVerdict(new URL('http://127.1:11434/'), []).allowed).toBe(true);
    expect(offlineVerdict(new URL('http://0x7f.0.0.1/'), []).allowed).toBe(true);
    expect(offlineVerdict(new URL('ftp://127.0.0.1/'), []).allowed).toBe(false);
    // A name is never on the user's network (issue #16: it cannot be proven private); its address can be.
    expect(offlineVerdict(new URL('http://ollama.lan/'), ['ollama.lan']).allowed).toBe(false);
    expect(offlineVerdict(new URL('http://ollama.lan:11434/'), ['ollama.lan']).allowed).toBe(false);
    expect(offlineVerdict(new URL('http://192.168.1.20/'), ['192.168.1.20']).allowed).toBe(true);
  });
});

describe('OutboundLog', () => {
  it('keeps the newest entries in a ring and persists every one', () => {
    const db = openDatabase(':memory:', { migrations: MIGRATIONS });
    const sink = new SqliteOutboundSink(db);
    const log = new OutboundLog({ capacity: 3, sink });
    const seen: number[] = [];
    log.subscribe((e) => seen.push(e.at));
    for (let at = 1; at <= 5; at += 1) log.record({ at, method: 'GET', host: 'h', url: 'http://h/', purpose: 'p', allowed: at % 2 === 0, reason: 'r' });
    expect(log.recent().map((e) => e.at)).toEqual([5, 4, 3]);
    expect(log.recent(2).map((e) => e.at)).toEqual([5, 4]);
    expect(sink.list().map((e) => [e.at, e.allowed])).toEqual([
      [5, false],
      [4, true],
      [3, false],
      [2, true],
      [1, false],
    ]);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    db.close();
  });
});
