import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { launchChromium, openNewChat, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

/** Issue #15: Settings → Providers → Refresh reads a provider's model list; new models are usable with their price unknown. */
let openai: FakeOpenAI;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // OpenAI serves gpt-4o-mini and a model the bundled catalog does not know; gpt-4o is retired.
  openai = await startFakeOpenAI({ models: ['gpt-4o-mini', 'gpt-9-preview'], apiKey: 'sk-e2e-live-4321', modelFields: { 'gpt-9-preview': { context_window: 400_000 } } });
  h = await startHeadless({ env: { OPENAI_API_KEY: 'sk-e2e-live-4321', OPENAI_BASE_URL: `${openai.url}/v1`, OLLAMA_HOST: 'http://127.0.0.1:2' } });
  h.harness.app.services.settings.update({ setupCompleted: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
  await openai?.close();
});

describe('Settings → Providers → Refresh (live model lists)', () => {
  it('reads the list, offers the new model with its price unknown, drops the retired one, and takes a price', async () => {
    await page.goto(`${h.server.openUrl}#settings`);
    const row = page.getByRole('row', { name: 'Provider OpenAI' });
    const list = row.getByRole('note', { name: 'Model list of OpenAI' });
    await expect.poll(() => list.textContent()).toBe('Models: the bundled catalog');
    const asked = openai.requests.filter((r) => r.path === '/v1/models').length;
    await row.getByRole('button', { name: 'Refresh models of OpenAI' }).click();
    await expect.poll(() => list.textContent()).toMatch(/^Models: 2 models listed /);
    expect(openai.requests.filter((r) => r.path === '/v1/models').length).toBe(asked + 1);

    // Groq has no key: a refresh says what to do and asks nothing.
    const groq = page.getByRole('row', { name: 'Provider Groq' });
    await groq.getByRole('button', { name: 'Refresh models of Groq' }).click();
    await expect.poll(() => groq.getByRole('note', { name: 'Model list of Groq' }).textContent()).toBe('Not refreshed: add a Groq key first. Models: the bundled catalog.');

    // The new model has no price: the link opens Prices at its row.
    await row.getByRole('button', { name: '1 model without a price: set it in Prices' }).click();
    const priceRow = page.getByRole('row', { name: 'Price of openai/gpt-9-preview' });
    await expect.poll(() => priceRow.textContent()).toContain('price unknown');
    for (const [width, height] of [
      [1280, 800],
      [800, 600],
    ] as const) {
      await page.setViewportSize({ width, height });
      await row.scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath(`live-models-providers-${width}x${height}`) });
      await priceRow.scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath(`live-models-prices-${width}x${height}`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    // In the picker: the new model, not the retired one. A reply from it says its price is unknown.
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await openNewChat(page);
    const picker = page.getByRole('combobox', { name: 'Model' });
    await expect.poll(() => picker.locator('option').allTextContents()).toContain('openai/gpt-9-preview');
    expect(await picker.locator('option').allTextContents()).not.toContain('openai/gpt-4o');
    openai.setBehavior('gpt-9-preview', { reply: 'New model here.' });
    await picker.selectOption('openai/gpt-9-preview');
    await page.getByRole('textbox', { name: 'Message' }).fill('hello new model');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.getByRole('article', { name: 'Assistant message' }).last();
    await expect.poll(() => reply.getAttribute('data-status')).toBe('complete');
    const unknown = reply.getByRole('link', { name: 'price unknown' });
    await expect.poll(() => unknown.count()).toBe(1);
    await page.screenshot({ path: screenshotPath('live-models-chat-price-unknown') });

    // The link leads to Settings, where a price is set.
    await unknown.click();
    await page.getByRole('button', { name: '1 model without a price: set it in Prices' }).click();
    await priceRow.getByRole('textbox', { name: 'openai/gpt-9-preview input price' }).fill('2');
    await priceRow.getByRole('textbox', { name: 'openai/gpt-9-preview output price' }).fill('8');
    await priceRow.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('row', { name: 'Price of openai/gpt-9-preview' }).textContent()).toContain('your price');
    expect(h.harness.app.services.prices.priceOf('openai/gpt-9-preview')).toEqual({ input: 2, output: 8 });
  });
});
