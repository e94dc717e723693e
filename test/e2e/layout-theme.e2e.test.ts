import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { launchChromium, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

/** Issue #14, item 9: the theme switch, a collapsible sidebar at 800×600, errors next to their field. */
let ollama: FakeOllama;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B', sizeBytes: 2_019_393_189 }] });
  h = await startHeadless({ ollamaUrl: ollama.url });
  h.harness.app.services.settings.update({ setupCompleted: true });
  const { id } = await h.harness.app.call('conversations.create', { title: 'A conversation whose title is long enough to need the room' });
  expect(id).toBeTruthy();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 800, height: 600 } });
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await ollama?.close();
});

const background = () => page.locator('.main').evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor);
const noSideways = () => page.evaluate(() => (globalThis as unknown as { document: { scrollingElement: { scrollWidth: number } }; innerWidth: number }).document.scrollingElement.scrollWidth <= (globalThis as unknown as { innerWidth: number }).innerWidth);

describe('layout, theme and field errors (issue #14)', () => {
  it('hides and shows the sidebar at 800×600; the title stays readable; Ctrl+K brings the sidebar back to search', async () => {
    await page.goto(h.server.openUrl);
    const nav = page.getByRole('navigation', { name: 'Conversations' });
    await expect.poll(() => nav.isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('layout-chat-800') });
    await page.getByRole('button', { name: 'Hide sidebar' }).click();
    await expect.poll(() => nav.isVisible()).toBe(false);
    const title = page.locator('.chat-title');
    expect(await title.textContent()).toBe('A conversation whose title is long enough to need the room');
    // The whole title fits once the sidebar is hidden (nothing cut off under the controls).
    expect(await title.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await noSideways()).toBe(true);
    await page.screenshot({ path: screenshotPath('layout-sidebar-hidden-800') });
    // Remembered across a reload.
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Show sidebar' }).isVisible()).toBe(true);
    expect(await nav.isVisible()).toBe(false);
    await page.keyboard.press('Control+k');
    await expect.poll(() => nav.isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('searchbox', { name: 'Search conversations' }).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.getByRole('button', { name: 'Hide sidebar' }).click();
    await page.getByRole('button', { name: 'Show sidebar' }).click();
    await expect.poll(() => nav.isVisible()).toBe(true);
  });

  it('switches Light / Dark / System in Settings → Appearance at once, and keeps the choice', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
    const theme = page.getByRole('group', { name: 'Theme' });
    await theme.getByRole('radio', { name: 'Light' }).check();
    await expect.poll(background).toBe('rgb(247, 247, 248)');
    await theme.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(background).toBe('rgb(21, 23, 31)');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { dataset: { theme?: string } } } }).document.documentElement.dataset.theme)).toBe('dark');
    expect(h.harness.app.services.settings.get().theme).toBe('dark');
    await page.screenshot({ path: screenshotPath('layout-settings-dark-800') });
    await page.reload();
    await expect.poll(background).toBe('rgb(21, 23, 31)');
    await expect.poll(() => page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true);
    // Settings' tables scroll inside the page instead of widening it.
    expect(await noSideways()).toBe(true);
    await page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name: 'System' }).check();
    await expect.poll(() => h.harness.app.services.settings.get().theme).toBe('system');
  });

  it('refreshes the Dashboard live when a reply finishes (no reload, no polling)', async () => {
    ollama.setBehavior('llama3.2:3b', { reply: 'Counted.' });
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Dashboard' }).click();
    const headline = page.getByText(/\d+ requests? · \d+ not answered/);
    await expect.poll(() => headline.textContent()).toBe('0 requests · 0 not answered');
    const { id } = await h.harness.app.call('conversations.create', {});
    await h.harness.app.call('chat.send', { conversationId: id, content: 'Count me', model: 'ollama/llama3.2:3b' });
    await h.harness.app.services.chat.idle();
    await expect.poll(() => headline.textContent()).toBe('1 request · 0 not answered');
    await page.screenshot({ path: screenshotPath('layout-dashboard-live-800') });
  });

  it('shows a refused API key next to its field, in plain words', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
    await page.setViewportSize({ width: 1280, height: 800 });
    const field = page.getByRole('textbox', { name: 'Groq API key' });
    await field.fill('short');
    const row = page.locator('form', { has: field });
    await row.getByRole('button', { name: 'Save' }).click();
    const error = row.getByRole('alert');
    await expect.poll(() => error.textContent()).toBe('That key looks too short.');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toBe(await error.getAttribute('id'));
    // Not at the top of the page in developer words.
    expect(await page.getByText('Invalid input for secrets.set').count()).toBe(0);
    await error.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: screenshotPath('layout-key-error-1280') });

    // A refused setting too: the Ollama host, next to its field, and nothing at the top in developer words.
    const host = page.getByRole('textbox', { name: 'Ollama host', exact: true });
    await host.fill('not a host');
    const hostForm = page.locator('form', { has: host });
    await hostForm.getByRole('button', { name: 'Save and test' }).click();
    const hostError = hostForm.getByRole('alert');
    await expect.poll(() => hostError.count()).toBe(1);
    expect(await hostError.textContent()).not.toMatch(/settings\.update|ollamaHost:/);
    expect(await host.getAttribute('aria-describedby')).toBe('ollama-host-error');
    expect(await page.getByText('Invalid input for settings.update').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'That did not work' }).count()).toBe(0);
    await hostError.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: screenshotPath('layout-host-error-1280') });
  });
});
