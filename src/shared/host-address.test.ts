import { describe, expect, it } from 'vitest';
import { canonicalAddress, hostReach, ipVersion, isPrivateAddress, networkHostProblem, tierAt } from './host-address';

describe('ipVersion: IP literals without node:net', () => {
  it.each([
    ['192.168.1.20', 4],
    ['0.0.0.0', 4],
    ['255.255.255.255', 4],
    ['::1', 6],
    ['fe80::1', 6],
    ['::ffff:127.0.0.1', 6],
    ['FC00::ABCD', 6],
    ['256.1.1.1', 0],
    ['01.2.3.4', 0],
    ['10.1', 0],
    ['1::2::3', 0],
    ['::', 6],
    ['1:2:3:4:5:6:7:8', 6],
    ['127.0.0.1:8787', 0],
    ['1:2', 0],
    ['gpu-box.lan', 0],
    ['[::1]', 0],
    ['', 0],
  ])('%s → %s', (host, version) => {
    expect(ipVersion(host)).toBe(version);
  });
});

describe('isPrivateAddress: 10/8, 172.16/12, 192.168/16, fc00::/7, fe80::/10 — literals only', () => {
  it.each(['10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.254', '192.168.0.1', '192.168.77.20', 'fc00::1', 'fd12:3456::1', '[fd00::5]', 'fe80::1', 'febf::1', 'FE80::0001'])(
    '%s is private',
    (host) => {
      expect(isPrivateAddress(host)).toBe(true);
    },
  );

  it.each([
    '203.0.113.5', // TEST-NET-3: public as far as we know
    '8.8.8.8',
    '172.15.255.255',
    '172.32.0.1',
    '192.169.0.1',
    '11.0.0.1',
    '127.0.0.1', // this machine, not the network
    '169.254.1.1', // IPv4 link-local: not in the list
    '100.64.0.1', // carrier-grade NAT: shared with strangers
    '0.0.0.0',
    '::1',
    '::ffff:c0a8:114', // 192.168.1.20, IPv4-mapped: refused rather than guessed
    'fec0::1', // site-local, deprecated: outside fe80::/10
    '2001:db8::1',
    'gpu-box.lan',
    'localhost',
    '10.0.0.1.nip.io',
    '',
  ])('%s is not', (host) => {
    expect(isPrivateAddress(host)).toBe(false);
  });
});

describe('canonicalAddress', () => {
  it('writes one spelling per address and refuses names', () => {
    expect(canonicalAddress('FE80::0001')).toBe('fe80::1');
    expect(canonicalAddress('[fd00:0:0::5]')).toBe('fd00::5');
    expect(canonicalAddress('192.168.1.20')).toBe('192.168.1.20');
    expect(canonicalAddress('gpu-box')).toBeNull();
    expect(canonicalAddress('192.168.1.20:11434')).toBeNull();
  });
});

describe('networkHostProblem: what may be marked as on my network', () => {
  it('accepts private addresses', () => {
    for (const host of ['192.168.1.20', ' 10.0.0.7 ', '172.20.1.1', 'fd00::5', '[fe80::1]']) expect(networkHostProblem(host), host).toBeNull();
  });

  it('refuses public addresses, names, loopback, URLs and ports, each saying why', () => {
    expect(networkHostProblem('203.0.113.5')).toMatch(/203\.0\.113\.5 is not a private address.*10\.0\.0\.0\/8/);
    expect(networkHostProblem('8.8.8.8')).toMatch(/not a private address/);
    expect(networkHostProblem('gpu-box.lan')).toMatch(/"gpu-box\.lan" is a name, not an address.*enter its IP address/);
    expect(networkHostProblem('127.0.0.1')).toMatch(/is this computer/);
    expect(networkHostProblem('::1')).toMatch(/is this computer/);
    expect(networkHostProblem('http://192.168.1.20:11434')).toBe('Enter the address alone, without a scheme, port or path: 192.168.1.20.');
    expect(networkHostProblem('192.168.1.20:11434')).toMatch(/address alone.*192\.168\.1\.20\./);
    expect(networkHostProblem('')).toMatch(/Enter an IP address/);
  });
});

describe('hostReach: this machine, my network, or remote', () => {
  const marked = ['192.168.77.20', 'fd00::5'];
  it.each([
    ['http://127.0.0.1:1234/v1', 'loopback'],
    ['http://localhost:11434', 'loopback'],
    ['http://[::1]:8080/', 'loopback'],
    ['localhost:11434', 'loopback'],
    ['http://192.168.77.20:11434', 'network'],
    ['https://192.168.77.20/v1', 'network'], // an address alone is marked on every port
    ['192.168.77.20:1234', 'network'],
    ['http://[fd00::5]:8000/v1', 'network'],
    ['http://192.168.77.21:11434', 'remote'], // the LAN, but not marked
    ['http://203.0.113.5/v1', 'remote'],
    ['http://gpu-box.lan:11434', 'remote'],
    ['not a url at all', 'remote'],
  ])('%s → %s', (target, reach) => {
    expect(hostReach(target, marked)).toBe(reach);
  });

  it('never lets a public address or a name through, whatever the list says', () => {
    expect(hostReach('http://203.0.113.5/v1', ['203.0.113.5'])).toBe('remote');
    expect(hostReach('http://gpu-box.lan/', ['gpu-box.lan'])).toBe('remote');
    expect(hostReach(new URL('http://8.8.8.8/'), ['http://8.8.8.8/'])).toBe('remote');
  });

  it('an entry with a port marks that port only', () => {
    expect(hostReach('http://192.168.1.20:11434/api/tags', ['http://192.168.1.20:11434'])).toBe('network');
    expect(hostReach('http://192.168.1.20:8080/', ['http://192.168.1.20:11434'])).toBe('remote');
    expect(hostReach('http://192.168.1.20/', ['http://192.168.1.20'])).toBe('network');
  });
});

describe('tierAt: local only on this machine or my network', () => {
  it('turns a claimed local elsewhere into paid, and leaves every other claim alone', () => {
    expect(tierAt('local', 'loopback')).toBe('local');
    expect(tierAt('local', 'network')).toBe('local');
    expect(tierAt('local', 'remote')).toBe('paid');
    expect(tierAt('free', 'remote')).toBe('free');
    expect(tierAt('paid', 'network')).toBe('paid');
  });
});
