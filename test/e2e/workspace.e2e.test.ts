import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { writeWorkspaceFixture } from '../fixtures/workspace-index';
import { tempDir } from '../helpers/app-harness';
import { launchChromium, openNewChat, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

let ollama: FakeOllama;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;
let allowed: string;
let root: string;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B' }] });
  h = await startHeadless({ ollamaUrl: ollama.url });
  h.harness.app.services.settings.update({ setupCompleted: true });
  allowed = tempDir('sb-e2e-ws-');
  root = writeWorkspaceFixture(path.join(allowed, 'shop-app'));
  mkdirSync(path.join(allowed, 'empty'));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await ollama?.close();
  if (allowed) rmSync(allowed, { recursive: true, force: true });
});

const bar = () => page.getByRole('region', { name: 'Workspace' });
const panel = () => page.getByRole('region', { name: 'Context files' });

describe('Open workspace and the Context files panel (headless)', () => {
  it('explains the allowed root, opens a typed folder, and lets the user add and remove context files', async () => {
    await page.goto(h.server.openUrl);
    await openNewChat(page);
    await bar().getByRole('button', { name: 'Open workspace' }).click();
    // Headless: no folder dialog, a path field instead.
    const folder = bar().getByRole('textbox', { name: /Folder path/ });
    await folder.fill(root);
    await bar().getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => bar().getByRole('alert').textContent()).toMatch(/Settings → Workspace lists an allowed root/);
    await page.screenshot({ path: screenshotPath('workspace-no-allowed-root-1280x800') });

    // Settings → Workspace: the allowed root, and a budget.
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const section = page.getByRole('region', { name: 'Workspace' });
    await section.getByRole('textbox', { name: /Allowed root folders/ }).fill(`${allowed}\nnot/absolute`);
    await section.getByRole('button', { name: 'Save workspace settings' }).click();
    await expect.poll(() => section.textContent()).toMatch(/must be an absolute path/i);
    await section.getByRole('textbox', { name: /Allowed root folders/ }).fill(allowed);
    await section.getByRole('spinbutton', { name: /Context budget per request/ }).fill('12');
    await section.getByRole('button', { name: 'Save workspace settings' }).click();
    await expect.poll(() => section.getByRole('status').textContent()).toBe('Workspace settings saved.');
    expect(h.harness.app.services.settings.get().workspace).toEqual({ allowedRoots: [allowed], contextBudgetBytes: 12_000 });
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('workspace-settings-1280x800') });
    await page.setViewportSize({ width: 800, height: 600 });
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('workspace-settings-800x600') });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await bar().getByRole('button', { name: 'Open workspace' }).click();
    await bar().getByRole('textbox', { name: /Folder path/ }).fill(root);
    await bar().getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => bar().textContent()).toMatch(/shop-app.*not a git repository.*12 files/);
    expect(await bar().getByRole('alert').count()).toBe(0);

    const conversationId = (await h.harness.app.call('conversations.list', {}))[0]!.id;
    // A preview (workspaces.selectContext) records nothing: the panel has no file yet.
    await h.harness.app.call('workspaces.selectContext', { conversationId, task: 'ShoppingCart.total should not tax an empty cart (compute_tax)' });
    expect((await h.harness.app.call('workspaces.context', { conversationId })).files).toEqual([]);

    // A chat message: the reply goes with the selected files, named under it (issue #12).
    ollama.setBehavior('llama3.2:3b', { reply: 'Return 0 before compute_tax when the cart is empty.' });
    await page.getByRole('textbox', { name: 'Message' }).fill('ShoppingCart.total should not tax an empty cart (compute_tax)');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.getByRole('article', { name: 'Assistant message' }).last();
    await expect.poll(() => reply.getAttribute('data-status'), { timeout: 10_000 }).toBe('complete');
    const sentLine = reply.getByRole('note', { name: 'Context from workspace shop-app' });
    await expect.poll(() => sentLine.textContent()).toMatch(/^Context from shop-app: .*py\/shop\/cart\.py/);
    expect(await sentLine.textContent()).toContain('py/shop/tax.py');
    const asked = ollama.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { messages: Array<{ role: string; content: string }> };
    expect(asked.messages.at(-2)).toMatchObject({ role: 'system', content: expect.stringContaining('Files from the workspace shop-app') });
    await page.screenshot({ path: screenshotPath('workspace-reply-context-1280x800') });
    await page.setViewportSize({ width: 800, height: 600 });
    await sentLine.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('workspace-reply-context-800x600') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Opening the panel loads what was sent.
    await bar().getByRole('button', { name: /Context files/ }).click();
    await expect.poll(() => panel().getByRole('button', { name: 'Remove py/shop/cart.py' }).count()).toBe(1);
    expect(await panel().getByRole('button', { name: 'Remove py/shop/tax.py' }).count()).toBe(1);
    expect(await panel().textContent()).toContain('budget 12 KB per request');
    expect(await panel().textContent()).toMatch(/defines ShoppingCart|defines compute_tax/);

    // Add a file through the suggestions.
    await panel().getByRole('combobox', { name: 'Add file' }).fill('util');
    await panel().getByRole('option', { name: 'js/util.js' }).click();
    await expect.poll(() => panel().getByRole('button', { name: 'Remove js/util.js' }).count()).toBe(1);
    expect(await panel().textContent()).toContain('added by you');
    await page.screenshot({ path: screenshotPath('workspace-context-files-1280x800') });

    // Remove one: it leaves the list and is named as left out.
    await panel().getByRole('button', { name: 'Remove py/shop/tax.py' }).click();
    await expect.poll(() => panel().getByRole('button', { name: 'Remove py/shop/tax.py' }).count()).toBe(0);
    expect(await panel().textContent()).toMatch(/Left out by you: py\/shop\/tax\.py/);
    const next = await h.harness.app.call('workspaces.selectContext', { conversationId, task: 'compute_tax rounding' });
    expect(next.files.map((f) => f.path)).not.toContain('py/shop/tax.py');

    // A typed path that escapes the workspace gets a clear message.
    await panel().getByRole('combobox', { name: 'Add file' }).fill('../../etc/passwd');
    await panel().getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => bar().getByRole('alert').textContent()).toMatch(/outside the workspace/);

    await page.setViewportSize({ width: 800, height: 600 });
    await page.screenshot({ path: screenshotPath('workspace-context-files-800x600') });
    // The workspace bar and panel fit the small size (long paths and reasons are cut with an ellipsis).
    expect(await bar().evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  });
});
