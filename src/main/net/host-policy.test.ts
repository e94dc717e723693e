import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isLoopbackHostHeader, offlineVerdict } from './host-policy';

describe('isLoopbackHost: the one "is this host this machine" check', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['localhost.', true],
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['::1', true],
    ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true],
    ['[::ffff:127.0.0.1]', true],
    ['::ffff:7f00:1', true],
    ['localhost:11434', true],
    ['127.0.0.1:8787', true],
    ['[::1]:8787', true],
  ])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    ['0.0.0.0'],
    ['0.0.0.0:11434'],
    ['::'],
    ['[::]'],
    ['128.0.0.1'],
    ['10.0.0.1'],
    ['192.168.1.10:11434'],
    ['localhost.evil.com'],
    ['localhost.evil.com:8787'],
    ['127.0.0.1.nip.io'],
    ['evillocalhost'],
    ['evil.com@127.0.0.1'],
    ['127.0.0.1/x'],
    ['127.0.0.1 '],
    ['[127.0.0.1]'],
    ['[::1'],
    ['::1:8787:x'],
    ['::ffff:a00:1'],
    [''],
  ])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('isLoopbackHostHeader: a Host header naming this machine on our port', () => {
  it('accepts loopback names with our port, and no port only when ours is 80', () => {
    for (const host of ['127.0.0.1:8787', 'localhost:8787', 'LocalHost:8787', '[::1]:8787', '127.0.0.2:8787']) expect(isLoopbackHostHeader(host, 8787), host).toBe(true);
    expect(isLoopbackHostHeader('localhost', 80)).toBe(true);
    expect(isLoopbackHostHeader('localhost', 8787)).toBe(false);
  });

  it('refuses another port, a foreign name (DNS rebinding), 0.0.0.0 and crafted values', () => {
    for (const host of ['127.0.0.1:8788', 'evil.example:8787', 'localhost.evil.com:8787', '0.0.0.0:8787', 'evil.com@127.0.0.1:8787', '::1', '[::1]:8787/x', '']) {
      expect(isLoopbackHostHeader(host, 8787), host).toBe(false);
    }
    expect(isLoopbackHostHeader(undefined, 8787)).toBe(false);
  });
});

describe('offlineVerdict: this machine and the hosts marked as on my network, nothing else (issue #16)', () => {
  const marked = ['192.168.77.20'];
  it('allows loopback and a marked private address, on any port', () => {
    expect(offlineVerdict(new URL('http://127.0.0.1:1234/v1/models'), [])).toEqual({ allowed: true, reason: 'loopback' });
    expect(offlineVerdict(new URL('http://192.168.77.20:1234/v1/models'), marked)).toEqual({ allowed: true, reason: 'local-host' });
    expect(offlineVerdict(new URL('ws://192.168.77.20:8080/'), marked)).toMatchObject({ allowed: true });
  });

  it('refuses a private address nobody marked, a public one and a name, even when they are in the list', () => {
    expect(offlineVerdict(new URL('http://192.168.77.21:11434/'), marked)).toEqual({
      allowed: false,
      reason: 'offline mode: 192.168.77.21:11434 is neither this machine nor a host marked as on your network',
    });
    expect(offlineVerdict(new URL('http://203.0.113.5/v1/chat/completions'), ['203.0.113.5', 'http://203.0.113.5/v1'])).toMatchObject({ allowed: false });
    expect(offlineVerdict(new URL('http://gpu-box.lan:11434/'), ['gpu-box.lan', 'http://gpu-box.lan:11434'])).toMatchObject({ allowed: false });
    expect(offlineVerdict(new URL('http://10.0.0.1.nip.io/'), ['10.0.0.1'])).toMatchObject({ allowed: false });
    expect(offlineVerdict(new URL('ftp://192.168.77.20/'), marked)).toMatchObject({ allowed: false });
  });
});
