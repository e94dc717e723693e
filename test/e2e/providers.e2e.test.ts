import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { launchChromium, openNewChat, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

let groq: FakeOpenAI;
let lmstudio: FakeOpenAI;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  groq = await startFakeOpenAI({ models: ['llama-3.1-8b-instant', 'llama-3.3-70b-versatile'], apiKey: 'gsk_e2e_key_987654' });
  lmstudio = await startFakeOpenAI({ models: ['qwen2.5-7b-instruct'], apiKey: null });
  h = await startHeadless({ env: { GROQ_API_KEY: 'gsk_e2e_key_987654', GROQ_BASE_URL: `${groq.url}/v1`, OLLAMA_HOST: 'http://127.0.0.1:2' } });
  h.harness.app.services.settings.update({ setupCompleted: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
  await Promise.all([groq?.close(), lmstudio?.close()]);
});

describe('Settings → Providers', () => {
  it('chats on a cloud model and shows its cost, then tests, adds and switches providers', async () => {
    await page.goto(h.server.openUrl);
    // A cloud model with a key is in the picker even with Ollama down.
    const picker = page.getByRole('combobox', { name: 'Model' });
    await expect.poll(() => picker.locator('option').allTextContents()).toContain('groq/llama-3.1-8b-instant');
    await picker.selectOption('groq/llama-3.1-8b-instant');
    groq.setBehavior('llama-3.1-8b-instant', { reply: 'Answered by Groq.' });
    await page.getByRole('textbox', { name: 'Message' }).fill('hello cloud');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.getByRole('article', { name: 'Assistant message' }).last();
    await expect.poll(() => reply.getAttribute('data-status')).toBe('complete');
    await expect.poll(() => reply.locator('.message-meta').textContent()).toMatch(/groq\/llama-3\.1-8b-instant · .* · \$0/);

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const groqRow = page.getByRole('row', { name: 'Provider Groq' });
    await expect.poll(() => groqRow.textContent()).toContain('Key …7654 from GROQ_API_KEY');
    await groqRow.getByRole('button', { name: 'Test Groq' }).click();
    await expect.poll(() => groqRow.getByRole('status').textContent()).toContain('Works: 2 models');
    const openaiRow = page.getByRole('row', { name: 'Provider OpenAI' });
    await openaiRow.getByRole('button', { name: 'Test OpenAI' }).click();
    await expect.poll(() => openaiRow.getByRole('status').textContent()).toMatch(/OpenAI.*key/i);

    // Health shows the Groq call made above.
    await page.reload();
    await expect.poll(() => page.getByRole('cell', { name: 'groq/llama-3.1-8b-instant' }).count()).toBe(1);

    // Add LM Studio as a custom endpoint.
    await page.getByText('Add an OpenAI-compatible endpoint').click();
    await page.getByRole('textbox', { name: 'Endpoint id' }).fill('lm-studio');
    await page.getByRole('textbox', { name: 'Endpoint name' }).fill('LM Studio');
    await page.getByRole('textbox', { name: 'Endpoint base URL' }).fill(`${lmstudio.url}/v1`);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const lmRow = page.getByRole('row', { name: 'Provider LM Studio' });
    await lmRow.getByRole('button', { name: 'Test LM Studio' }).click();
    await expect.poll(() => lmRow.getByRole('status').textContent()).toContain('Works: 1 models');
    await page.screenshot({ path: screenshotPath('settings-providers'), fullPage: true });

    // Override a price: the catalog uses it from then on.
    await page.getByText('Prices (USD per 1M tokens)').click();
    const priceRow = page.getByRole('row', { name: 'Price of deepseek/deepseek-chat' });
    await priceRow.getByRole('textbox', { name: 'deepseek/deepseek-chat input price' }).fill('0.5');
    await priceRow.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => priceRow.textContent()).toContain('your price');
    expect(h.harness.app.services.prices.catalog().priceOf('deepseek/deepseek-chat')?.input).toBe(0.5);

    // Switching Groq off removes its models from the picker.
    await groqRow.getByRole('checkbox', { name: 'Enable Groq' }).uncheck();
    // Saved before the reload (a reload would cancel the request still on its way).
    await expect.poll(async () => (await h.harness.app.call('providers.list', {})).find((p) => p.id === 'groq')?.enabled).toBe(false);
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await page.reload();
    const options = () => page.getByRole('combobox', { name: 'Model' }).locator('option').allTextContents();
    // The list has loaded (the LM Studio model added above is there) and Groq's models are not in it.
    await expect.poll(async () => (await options()).some((o) => o.startsWith('lm-studio/qwen2.5-7b-instruct'))).toBe(true);
    expect(await options()).not.toContain('groq/llama-3.1-8b-instant');

    // The LM Studio model chats like any other.
    lmstudio.setBehavior('qwen2.5-7b-instruct', { reply: 'Served by LM Studio on this machine.' });
    await openNewChat(page);
    await page.getByRole('combobox', { name: 'Model' }).selectOption('lm-studio/qwen2.5-7b-instruct');
    await page.getByRole('textbox', { name: 'Message' }).fill('Who answers?');
    await page.getByRole('button', { name: 'Send' }).click();
    const lmReply = page.getByRole('article', { name: 'Assistant message' }).last();
    await expect.poll(() => lmReply.getAttribute('data-status'), { timeout: 10_000 }).toBe('complete');
    expect(await lmReply.locator('.markdown').textContent()).toBe('Served by LM Studio on this machine.');
    expect(await lmReply.locator('.message-meta').textContent()).toMatch(/^lm-studio\/qwen2\.5-7b-instruct · Local · \$0 · /);
    await page.screenshot({ path: screenshotPath('chat-custom-endpoint') });
  });
});
