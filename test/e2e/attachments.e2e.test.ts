import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { minimalPdf, ONE_PIXEL_PNG } from '../fixtures/minimal-pdf';
import { launchChromium, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

let ollama: FakeOllama;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ollama = await startFakeOllama({
    models: [
      { name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B', sizeBytes: 2_019_393_189, capabilities: ['completion', 'tools'] },
      { name: 'llava:7b', family: 'llama', parameterSize: '7B', sizeBytes: 4_700_000_000, capabilities: ['completion', 'vision'] },
    ],
  });
  ollama.setBehavior('llava:7b', { reply: 'I see one pixel and read your notes.' });
  ollama.setBehavior('llama3.2:3b', { reply: 'Text only.' });
  h = await startHeadless({ ollamaUrl: ollama.url });
  h.harness.app.services.settings.update({ setupCompleted: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await ollama?.close();
});

async function attach(files: Array<{ name: string; mimeType: string; buffer: Buffer }>): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Attach files' }).click()]);
  await chooser.setFiles(files);
}

const chips = () => page.getByRole('list', { name: 'Attached files' }).getByRole('listitem');

describe('attachments in the composer (issue #14)', () => {
  it('attaches text, PDF and image files as chips, refuses what it cannot read, and sends the image to a vision model', async () => {
    await page.goto(h.server.openUrl);
    await attach([
      { name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# Notes\nThe walrus ships on Friday.\n') },
      { name: 'report.pdf', mimeType: 'application/pdf', buffer: minimalPdf(['Revenue grew by 12 percent.']) },
      { name: 'pixel.png', mimeType: 'image/png', buffer: Buffer.from(ONE_PIXEL_PNG, 'base64') },
      { name: 'archive.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\u0003\u0004') },
    ]);
    await expect.poll(() => chips().count()).toBe(3);
    expect(await chips().allTextContents()).toEqual([expect.stringContaining('notes.md'), expect.stringContaining('report.pdf'), expect.stringContaining('pixel.png')]);
    const alert = page.getByRole('alert').filter({ hasText: 'archive.zip' });
    await expect.poll(() => alert.textContent()).toContain('“archive.zip” is not a file Switchboard can attach');
    await page.getByRole('textbox', { name: 'Message' }).fill('What do these say?');
    await page.screenshot({ path: screenshotPath('attachments-chips-1280') });
    await page.setViewportSize({ width: 800, height: 600 });
    await page.screenshot({ path: screenshotPath('attachments-chips-800') });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Remove report.pdf' }).click();
    await expect.poll(() => chips().count()).toBe(2);
    await page.getByRole('button', { name: 'Dismiss' }).click();

    const before = ollama.requests.length;
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.getByRole('article', { name: 'Assistant message' }).last();
    await expect.poll(() => reply.getAttribute('data-status'), { timeout: 10_000 }).toBe('complete');
    expect(await reply.textContent()).toContain('I see one pixel and read your notes.');
    const sent = page.getByRole('article', { name: 'Your message' }).last().getByRole('list', { name: 'Files sent with this message' });
    expect(await sent.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('notes.md'), expect.stringContaining('pixel.png')]);
    await expect.poll(() => chips().count()).toBe(0);
    const withImage = ollama.requests.slice(before).filter((r) => r.path === '/api/chat' && (r.body as { messages: Array<{ images?: string[] }> }).messages.some((m) => m.images));
    expect(withImage.map((r) => r.model)).toEqual(['llava:7b']);
    const last = (withImage[0]!.body as { messages: Array<{ content: string; images?: string[] }> }).messages.at(-1)!;
    expect(last.images).toEqual([ONE_PIXEL_PNG]);
    expect(last.content).toContain('The walrus ships on Friday.');
    await page.screenshot({ path: screenshotPath('attachments-sent-1280') });
  });

  it('collapses a large paste with Show all and Attach as file', async () => {
    const big = Array.from({ length: 300 }, (_, i) => `line ${i}: some pasted log output`).join('\n');
    const paste = () =>
      page.getByRole('textbox', { name: 'Message' }).evaluate((el, text) => {
        // The page's own constructors (this file is typed without the DOM library).
        const win = el.ownerDocument.defaultView as unknown as {
          DataTransfer: new () => { setData(type: string, value: string): void };
          ClipboardEvent: new (type: string, init: object) => Event;
        };
        const data = new win.DataTransfer();
        data.setData('text/plain', text);
        el.dispatchEvent(new win.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, big);
    await page.getByRole('textbox', { name: 'Message' }).fill('');
    await paste();
    const block = page.getByRole('group', { name: 'Pasted text' });
    await expect.poll(() => block.textContent()).toContain(`(${big.length.toLocaleString('en')} characters)`);
    expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('');
    await page.screenshot({ path: screenshotPath('attachments-paste-1280') });
    await block.getByRole('button', { name: 'Show all' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe(big);
    await page.getByRole('textbox', { name: 'Message' }).fill('');
    await paste();
    await block.getByRole('button', { name: 'Attach as file' }).click();
    await expect.poll(() => chips().allTextContents()).toEqual([expect.stringContaining('pasted-text.txt')]);
    expect(await page.getByRole('button', { name: 'Remove pasted-text.txt' }).isVisible()).toBe(true);
  });
});
