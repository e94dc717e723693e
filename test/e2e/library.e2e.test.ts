import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_FORMAT, ConversationArchive } from '../../src/shared/contract';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { launchChromium, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

const CHATGPT_FILE = path.resolve(import.meta.dirname, '../fixtures/chatgpt-conversations.json');

let ollama: FakeOllama;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;

/** A long conversation whose hit sits far above the end, so opening it must scroll up to it. */
function seedArchive(): string {
  const messages = Array.from({ length: 30 }, (_, i) => ({
    id: `m${i}`,
    role: i % 2 === 0 ? 'user' : 'assistant',
    content: i === 3 ? 'The walrus lives in the Arctic and eats clams.' : `Filler message number ${i} about nothing in particular. `.repeat(4),
    createdAt: 1_700_000_000_000 + i * 1000,
  }));
  return JSON.stringify({
    format: ARCHIVE_FORMAT,
    version: 1,
    exportedAt: 1_700_000_100_000,
    conversations: [
      { id: 'a', title: 'Arctic animals', createdAt: 1_700_000_000_000, updatedAt: 1_700_000_030_000, messages },
      { id: 'b', title: 'Travel plans', createdAt: 1_700_000_000_000, updatedAt: 1_700_000_040_000, messages: [{ id: 'x', role: 'user', content: 'Flights to Oslo in June', createdAt: 1_700_000_040_000 }] },
    ],
  });
}

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B', sizeBytes: 2_019_393_189 }] });
  h = await startHeadless({ ollamaUrl: ollama.url });
  h.harness.app.services.settings.update({ setupCompleted: true });
  await h.harness.app.call('library.import', { content: seedArchive() });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await ollama?.close();
});

const searchBox = () => page.getByRole('searchbox', { name: 'Search conversations' });
const results = () => page.getByRole('list', { name: 'Search results' }).getByRole('button');

describe('search, export and import in the browser (issue #14)', () => {
  it('Ctrl+K focuses Search conversations; a hit opens its conversation scrolled to the message, highlighted', async () => {
    await page.goto(h.server.openUrl);
    await expect.poll(() => page.getByRole('navigation', { name: 'Conversations' }).locator('.conversation-title').allTextContents()).toEqual(['Travel plans', 'Arctic animals']);
    // Travel plans (the newest) is open; focus is in the composer.
    await page.getByRole('textbox', { name: 'Message' }).click();
    await page.keyboard.press('Control+k');
    await expect.poll(() => searchBox().evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type('walru');
    await expect.poll(() => results().count()).toBe(1);
    await expect.poll(() => results().first().locator('mark').textContent()).toBe('walrus');
    expect(await results().first().textContent()).toContain('Arctic animals');
    await page.screenshot({ path: screenshotPath('library-search-1280') });

    await results().first().click();
    await expect.poll(() => page.locator('.chat-title').textContent()).toBe('Arctic animals');
    const hit = page.locator('article[data-search-hit]');
    await expect.poll(() => hit.count()).toBe(1);
    expect(await hit.textContent()).toContain('The walrus lives in the Arctic');
    // On screen inside the scrolled message list (30 messages do not fit; the list starts at the end).
    await expect
      .poll(() =>
        hit.evaluate((el) => {
          const list = el.closest('.messages')!.getBoundingClientRect();
          const box = el.getBoundingClientRect();
          return box.top >= list.top && box.bottom <= list.bottom && el.closest('.messages')!.scrollTop < el.closest('.messages')!.scrollHeight - list.height - 10;
        }),
      )
      .toBe(true);
    await page.screenshot({ path: screenshotPath('library-search-hit-1280') });
  });

  it('treats FTS syntax as text: an unbalanced quote finds nothing and breaks nothing; Esc clears', async () => {
    await searchBox().fill('"oslo');
    await expect.poll(() => results().count()).toBe(1);
    await searchBox().fill('"unbalanced AND (');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'No conversations match' }).count()).toBe(1);
    expect(await page.getByRole('alert').count()).toBe(0);
    await searchBox().press('Escape');
    await expect.poll(() => searchBox().inputValue()).toBe('');
    await expect.poll(() => page.getByRole('navigation', { name: 'Conversations' }).locator('.conversation-title').count()).toBe(2);
  });

  it('exports a conversation as Markdown and as JSON from the sidebar', async () => {
    const nav = page.getByRole('navigation', { name: 'Conversations' });
    await nav.getByRole('button', { name: 'Export Travel plans' }).click();
    const group = nav.getByRole('group', { name: 'Export Travel plans as' });
    const [md] = await Promise.all([page.waitForEvent('download'), group.getByRole('button', { name: 'Markdown' }).click()]);
    expect(md.suggestedFilename()).toBe('travel-plans.md');
    const text = fs.readFileSync((await md.path())!, 'utf8');
    expect(text).toContain('# Travel plans');
    expect(text).toContain('## You\n\nFlights to Oslo in June');
    await nav.getByRole('button', { name: 'Export Travel plans' }).click();
    const [json] = await Promise.all([page.waitForEvent('download'), nav.getByRole('group', { name: 'Export Travel plans as' }).getByRole('button', { name: 'JSON' }).click()]);
    expect(json.suggestedFilename()).toBe('travel-plans.json');
    const archive = ConversationArchive.parse(JSON.parse(fs.readFileSync((await json.path())!, 'utf8')));
    expect(archive.conversations.map((c) => c.title)).toEqual(['Travel plans']);
  });

  it('exports all and imports an archive and a ChatGPT export in Settings; a bad file is refused next to the field', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
    const [all] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export all conversations' }).click()]);
    expect(all.suggestedFilename()).toMatch(/^switchboard-conversations-\d{4}-\d{2}-\d{2}\.json$/);
    const allPath = (await all.path())!;
    expect(ConversationArchive.parse(JSON.parse(fs.readFileSync(allPath, 'utf8'))).conversations).toHaveLength(2);

    const input = page.getByLabel('Import conversations');
    await input.setInputFiles(CHATGPT_FILE);
    const status = page.getByRole('status').filter({ hasText: 'Imported' });
    await expect.poll(() => status.textContent()).toContain('Imported 2 conversations (6 messages) from a ChatGPT export.');
    expect(await status.textContent()).toContain('1 image or file');
    const nav = page.getByRole('navigation', { name: 'Conversations' });
    await expect.poll(() => nav.locator('.conversation-title').allTextContents()).toEqual(expect.arrayContaining(['Sourdough starter', 'Python one-liner']));
    await status.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('library-import-1280') });

    await input.setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": "world"}') });
    const error = page.locator('#import-error');
    await expect.poll(() => error.textContent()).toContain('“notes.json” is not a file Switchboard can import');
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await input.getAttribute('aria-describedby')).toBe('import-error');
    await input.setInputFiles(allPath);
    await expect.poll(() => status.textContent()).toContain('Imported 2 conversations (31 messages) from a Switchboard archive.');
    await expect.poll(() => nav.locator('.conversation-title').count()).toBe(6);
    await page.setViewportSize({ width: 800, height: 600 });
    await status.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('library-import-800') });
    await searchBox().fill('sourdough');
    await expect.poll(() => results().count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('library-search-800') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
