import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { launchChromium, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

let desktop: FakeOllama;
let gpu: FakeOllama;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  desktop = await startFakeOllama({ models: [{ name: 'llama3.2:3b' }] });
  gpu = await startFakeOllama({ models: [{ name: 'llama3.1:8b' }] });
  h = await startHeadless({ env: { OLLAMA_HOST: desktop.url } });
  h.harness.app.services.settings.update({ setupCompleted: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
  await Promise.all([desktop?.close(), gpu?.close()]);
});

describe('Settings → Ollama → Other Ollama hosts', () => {
  it('adds a GPU box, tests it, and its model shows up in the picker', async () => {
    await page.goto(h.server.openUrl);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('textbox', { name: 'Ollama host name' }).fill('gpu-box');
    await page.getByRole('textbox', { name: 'Ollama host URL' }).fill(gpu.url);
    await page.getByRole('button', { name: 'Add host' }).click();
    const row = page.getByRole('row', { name: 'Ollama host gpu-box' });
    await row.getByRole('button', { name: 'Test gpu-box' }).click();
    await expect.poll(() => row.getByRole('status').textContent()).toContain('Works: 1 models');
    // After a reload (settings not loaded yet on first render) the host is still listed.
    await page.reload();
    await expect.poll(() => row.count()).toBe(1);
    await row.getByRole('button', { name: 'Test gpu-box' }).click();
    await expect.poll(() => row.getByRole('status').textContent()).toContain('Works: 1 models');
    await page.getByRole('region', { name: 'Other Ollama hosts' }).screenshot({ path: screenshotPath('settings-ollama-hosts') });

    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    const picker = page.getByRole('combobox', { name: 'Model' });
    await expect.poll(() => picker.locator('option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value))).toContain('ollama-gpu-box/llama3.1:8b');
    await picker.selectOption('ollama-gpu-box/llama3.1:8b');
    await page.screenshot({ path: screenshotPath('ollama-hosts-picker') });
  });

  it('switches off starting Ollama at launch, and the setting is saved', async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const autoStart = page.getByRole('checkbox', { name: 'Start Ollama when Switchboard starts' });
    await expect.poll(() => autoStart.isChecked()).toBe(true); // the default
    await autoStart.uncheck();
    await expect.poll(() => h.harness.app.services.settings.get().ollamaAutoStart).toBe(false);
    await expect.poll(() => autoStart.isChecked()).toBe(false);
    await page.screenshot({ path: screenshotPath('settings-ollama-autostart') });

    // Issue #13: how long Ollama keeps a model loaded (keep_alive), saved and sent with each request.
    const keepAlive = page.getByRole('combobox', { name: 'Keep models loaded' });
    expect(await keepAlive.inputValue()).toBe(''); // Ollama's default
    await keepAlive.selectOption({ label: '30 minutes' });
    await expect.poll(() => h.harness.app.services.settings.get().ollamaKeepAlive).toBe('30m');
    await keepAlive.selectOption({ label: "5 minutes (Ollama's default)" });
    await expect.poll(() => h.harness.app.services.settings.get().ollamaKeepAlive).toBeNull();
    await keepAlive.selectOption({ label: 'Until Ollama stops' });
    await expect.poll(() => h.harness.app.services.settings.get().ollamaKeepAlive).toBe('-1');
    for (const [width, height] of [[1280, 800], [800, 600]] as const) {
      await page.setViewportSize({ width, height });
      await keepAlive.scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath(`settings-ollama-keepalive-${width}x${height}`) });
    }
  });
});
