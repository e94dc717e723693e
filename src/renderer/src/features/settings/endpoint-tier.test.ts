import { describe, expect, it } from 'vitest';
import { endpointTierChoice } from './endpoint-tier';

describe('endpointTierChoice: the Add-endpoint form never infers Local for another machine', () => {
  it('offers and suggests Local for this computer only', () => {
    for (const url of ['http://127.0.0.1:1234/v1', 'http://localhost:8080/v1', 'http://[::1]:8000/v1']) {
      expect(endpointTierChoice(url, []), url).toMatchObject({ reach: 'loopback', offered: ['local', 'free', 'paid'], suggested: 'local', note: expect.stringContaining('do not leave it') });
    }
  });

  it('offers Local on a host marked as on my network, but does not pick it', () => {
    const choice = endpointTierChoice('http://192.168.1.20:8000/v1', ['192.168.1.20']);
    expect(choice).toMatchObject({ reach: 'network', host: '192.168.1.20:8000', offered: ['local', 'free', 'paid'], suggested: 'paid' });
    expect(choice.note).toContain('stay on your network');
    expect(choice.note).not.toContain('do not leave');
  });

  it('never offers Local for a public address, an unmarked LAN address or a name', () => {
    for (const url of ['http://203.0.113.5/v1', 'http://192.168.1.21:8000/v1', 'http://gpu-box.lan:8000/v1', 'https://api.example.com/v1']) {
      const choice = endpointTierChoice(url, ['192.168.1.20']);
      expect(choice, url).toMatchObject({ reach: 'remote', offered: ['free', 'paid'], suggested: 'paid' });
      expect(choice.note).toContain('cannot be Local');
    }
  });

  it('offers no Local before the URL is a URL', () => {
    for (const url of ['', '127.0.0.1:1234', 'lm studio']) expect(endpointTierChoice(url, []), url).toMatchObject({ reach: null, offered: ['free', 'paid'], suggested: 'paid' });
  });
});
