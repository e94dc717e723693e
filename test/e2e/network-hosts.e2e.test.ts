import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../src/main/net';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { launchChromium, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

// Issue #16, item 2, in the browser: Settings → Network lists the hosts on my network, and the
// Add-endpoint form offers Local only for this computer or those hosts. The app's base fetch
// answers every non-loopback request itself (recorded in `outside`): nothing here ever sends a
// packet to 192.168.1.20 or 203.0.113.5.
const LAN = '192.168.1.20';
let lmstudio: FakeOpenAI;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;
const outside: string[] = [];

beforeAll(async () => {
  lmstudio = await startFakeOpenAI({ models: ['qwen2.5-7b-instruct'], apiKey: null });
  const base: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (isLoopbackHost(url.hostname)) return fetch(input, init);
    outside.push(url.href);
    return url.pathname === '/api/tags' ? Response.json({ models: [] }) : Response.json({ object: 'list', data: [] });
  };
  h = await startHeadless({ env: { OLLAMA_HOST: 'http://127.0.0.1:2' }, fetch: base });
  h.harness.app.services.settings.update({ setupCompleted: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
  await lmstudio?.close();
});

async function shoot(name: string, locator: ReturnType<Page['locator']>): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [800, 600],
  ] as const) {
    await page.setViewportSize({ width, height });
    await locator.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath(`${name}-${width}x${height}`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('Settings → Network and the Add-endpoint form', () => {
  it('marks a LAN host as on my network, with validation, and the Ollama host on it becomes local', async () => {
    await page.goto(h.server.openUrl);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const network = page.getByRole('region', { name: 'Network' });
    await expect.poll(() => network.textContent()).toContain('Hosts on my network');
    await expect.poll(() => network.textContent()).toContain('No hosts yet');

    // A GPU box on the LAN, not marked: not local.
    await page.getByRole('textbox', { name: 'Ollama host name' }).fill('gpu-box');
    await page.getByRole('textbox', { name: 'Ollama host URL' }).fill(`http://${LAN}:11434`);
    await page.getByRole('button', { name: 'Add host', exact: true }).click();
    const ollamaRow = page.getByRole('row', { name: 'Ollama host gpu-box' });
    await expect.poll(() => ollamaRow.textContent()).toContain('Not on my network');
    const providerRow = page.getByRole('row', { name: 'Provider Ollama (gpu-box)' });
    await expect.poll(() => providerRow.textContent()).toContain('Paid cloud');

    // Refused with the reason, said to assistive technology too.
    const address = network.getByRole('textbox', { name: 'Address on my network' });
    const add = network.getByRole('button', { name: 'Add to my network', exact: true });
    for (const [bad, why] of [
      ['203.0.113.5', 'is not a private address'],
      ['gpu-box.lan', 'is a name, not an address'],
      [`http://${LAN}:11434`, `Enter the address alone, without a scheme, port or path: ${LAN}.`],
    ] as const) {
      await address.fill(bad);
      await add.click();
      await expect.poll(() => network.getByRole('alert').textContent()).toContain(why);
      expect(await address.getAttribute('aria-invalid')).toBe('true');
    }
    expect(h.harness.app.services.settings.get().networkHosts).toEqual([]);
    await shoot('settings-network-refused', network);

    // The Ollama host's address is offered; adding it marks it.
    await network.getByRole('button', { name: `Add ${LAN} to my network` }).click();
    await expect.poll(() => h.harness.app.services.settings.get().networkHosts).toEqual([LAN]);
    const item = network.getByRole('listitem', { name: `Host ${LAN}` });
    await expect.poll(() => item.textContent()).toContain('Used by Ollama (gpu-box)');
    await expect.poll(() => ollamaRow.textContent()).toContain('On my network (local)');
    await expect.poll(() => providerRow.textContent()).toContain('Local');
    await expect.poll(() => network.getByRole('alert').count()).toBe(0);
    await shoot('settings-network', network);
  });

  it('the Add-endpoint form offers Local only for this computer or a host on my network, and never says nothing leaves for another machine', async () => {
    await page.getByText('Add an OpenAI-compatible endpoint').click();
    const url = page.getByRole('textbox', { name: 'Endpoint base URL' });
    const tier = page.getByRole('combobox', { name: 'Endpoint tier' });
    const local = tier.locator('option[value="local"]');
    const note = page.locator('#endpoint-tier-note');

    // Before a URL: no Local.
    expect(await tier.inputValue()).toBe('paid');
    expect(await local.isDisabled()).toBe(true);

    await url.fill('http://203.0.113.5/v1');
    await expect.poll(() => note.textContent()).toContain('cannot be Local');
    expect(await tier.inputValue()).toBe('paid');
    expect(await local.isDisabled()).toBe(true);
    expect(await note.textContent()).not.toMatch(/nothing leaves|do not leave/);
    expect(await tier.getAttribute('aria-describedby')).toBe('endpoint-tier-note');
    await shoot('settings-add-endpoint-public', page.locator('.custom-endpoint'));

    await url.fill(`http://${LAN}:8000/v1`);
    await expect.poll(() => note.textContent()).toContain('stay on your network');
    expect(await tier.inputValue()).toBe('paid'); // offered, never picked for the user
    expect(await local.isDisabled()).toBe(false);
    await tier.selectOption('local');
    expect(await tier.inputValue()).toBe('local');
    await shoot('settings-add-endpoint-lan', page.locator('.custom-endpoint'));

    // Back to a public address: the Local pick does not survive.
    await url.fill('https://gateway.example.com/v1');
    await expect.poll(() => tier.inputValue()).toBe('paid');

    // This computer: Local by default, and the endpoint is added as such.
    await url.fill(`${lmstudio.url}/v1`);
    await expect.poll(() => note.textContent()).toContain('do not leave it');
    expect(await tier.inputValue()).toBe('local');
    await page.getByRole('textbox', { name: 'Endpoint id' }).fill('lm-studio');
    await page.getByRole('textbox', { name: 'Endpoint name' }).fill('LM Studio');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const lmRow = page.getByRole('row', { name: 'Provider LM Studio' });
    await expect.poll(() => lmRow.textContent()).toContain('Local');
  });

  it('removes a host from my network: the Ollama host on it is no longer local', async () => {
    const network = page.getByRole('region', { name: 'Network' });
    await network.getByRole('button', { name: `Remove ${LAN} from my network` }).click();
    await expect.poll(() => h.harness.app.services.settings.get().networkHosts).toEqual([]);
    await expect.poll(() => page.getByRole('row', { name: 'Ollama host gpu-box' }).textContent()).toContain('Not on my network');
    await expect.poll(() => network.getByRole('button', { name: `Add ${LAN} to my network` }).count()).toBe(1);
    // Only the stub ever saw the LAN address; the public one was never asked for anything.
    expect(outside.every((u) => u.startsWith(`http://${LAN}:11434/`))).toBe(true);
  });
});
