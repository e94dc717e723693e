// Settings → Workspace, validation of one workspace (issue #12 follow-up) in Chromium against the
// headless server: its own commands, max_retries and step timeouts, with bad values refused beside
// their field, stored where the coding loop reads them (coding_workspaces) and shown again after a reload.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from '../helpers/browser';
import { tempDir } from '../helpers/app-harness';
import { ROOT } from '../helpers/cli-harness';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

let h: HeadlessHarness;
let browser: Browser;
let page: Page;
let dir: string;

beforeAll(async () => {
  dir = path.join(tempDir(), 'shop');
  fs.cpSync(path.join(ROOT, 'test/fixtures/sample-ts-pkg'), dir, { recursive: true });
  h = await startHeadless({});
  h.harness.app.services.settings.update({ setupCompleted: true, workspace: { allowedRoots: [path.dirname(dir)] } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function openSection(): Promise<void> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const heading = page.getByRole('heading', { name: 'Validation commands, retries and timeouts' });
  await heading.scrollIntoViewIfNeeded();
}

async function shoot(name: string): Promise<void> {
  await page.getByRole('heading', { name: 'Validation commands, retries and timeouts' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: screenshotPath(`${name}-1280x800`), fullPage: false });
  await page.setViewportSize({ width: 800, height: 600 });
  await page.getByRole('heading', { name: 'Validation commands, retries and timeouts' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: screenshotPath(`${name}-800x600`), fullPage: false });
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('Settings → Workspace: validation of a workspace', () => {
  it('edits commands, retries and timeouts; says which value is wrong; stores what the coding loop reads', async () => {
    await page.goto(h.server.openUrl);
    await openSection();
    const pick = page.getByRole('form', { name: 'Choose a workspace' });

    // A folder outside every allowed root is refused, in words.
    await pick.getByRole('combobox', { name: 'Workspace folder' }).fill(ROOT);
    await pick.getByRole('button', { name: 'Load' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: /is not under an allowed root/ }).count()).toBe(1);

    await pick.getByRole('combobox', { name: 'Workspace folder' }).fill(dir);
    await pick.getByRole('button', { name: 'Load' }).click();
    const real = fs.realpathSync(dir);
    const form = page.getByRole('form', { name: `Validation settings of ${real}` });
    await expect.poll(() => form.count()).toBe(1);
    // The detected commands are shown (the fixture's package.json has typecheck and test scripts).
    expect(await form.getByRole('group', { name: 'Build' }).textContent()).toContain('Detected: npm run typecheck');
    expect(await form.getByRole('group', { name: 'Test' }).textContent()).toContain('Detected: npm test');
    expect(await form.getByRole('textbox', { name: 'Test timeout (seconds)' }).getAttribute('placeholder')).toBe('300 (default)');
    expect(await form.getByRole('textbox', { name: 'Retries after a failed attempt (max_retries)' }).getAttribute('placeholder')).toBe('2 (default)');

    // Bad values: each said beside its field, nothing stored.
    await form.getByRole('textbox', { name: 'Test timeout (seconds)' }).fill('-5');
    await form.getByRole('textbox', { name: 'Retries after a failed attempt (max_retries)' }).fill('-1');
    await form.getByRole('textbox', { name: 'Build commands' }).fill('npm run "build');
    await form.getByRole('button', { name: 'Save validation settings' }).click();
    await expect.poll(() => form.getByText('Test timeout must be at least 1 second.').count()).toBe(1);
    expect(await form.getByText('Retries cannot be negative.').count()).toBe(1);
    expect(await form.getByRole('textbox', { name: 'Test timeout (seconds)' }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').textContent()).toContain('Not saved: correct the fields marked below.');
    expect(h.harness.app.services.coding.repo.workspaceValidation(real)).toEqual({ commands: {}, maxRetries: null, timeoutsMs: {}, commandsAllowed: false });
    await shoot('code-validation-errors');

    // The server's own check: a command line with an open quote.
    await form.getByRole('textbox', { name: 'Test timeout (seconds)' }).fill('45');
    await form.getByRole('textbox', { name: 'Retries after a failed attempt (max_retries)' }).fill('0');
    await form.getByRole('button', { name: 'Save validation settings' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('build command 1 (npm run "build): the double quote is not closed');
    expect(h.harness.app.services.coding.repo.workspaceValidation(real).maxRetries).toBeNull();

    await form.getByRole('textbox', { name: 'Build commands' }).fill('');
    await form.getByRole('textbox', { name: 'Test commands' }).fill('npm test --silent\nnode scripts/check.mjs "with space"');
    await form.getByRole('checkbox', { name: 'Skip the lint step in this workspace' }).check();
    await form.getByRole('checkbox', { name: "Allow this workspace's build, test and lint commands to run" }).check();
    await form.getByRole('button', { name: 'Save validation settings' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: `Validation settings saved for ${real}.` }).count()).toBe(1);
    expect(h.harness.app.services.coding.repo.workspaceValidation(real)).toEqual({
      commands: { test: [['npm', 'test', '--silent'], ['node', 'scripts/check.mjs', 'with space']], lint: [] },
      maxRetries: 0,
      timeoutsMs: { test: 45_000 },
      commandsAllowed: true,
    });
    expect(await page.getByRole('alert').count()).toBe(0);
    await shoot('code-validation-saved');

    // After a reload the stored values are shown again.
    await page.reload();
    await openSection();
    await pick.getByRole('combobox', { name: 'Workspace folder' }).fill(dir);
    await pick.getByRole('button', { name: 'Load' }).click();
    await expect.poll(() => form.count()).toBe(1);
    expect(await form.getByRole('textbox', { name: 'Test commands' }).inputValue()).toBe("npm test --silent\nnode scripts/check.mjs 'with space'");
    expect(await form.getByRole('textbox', { name: 'Lint commands' }).isDisabled()).toBe(true);
    expect(await form.getByRole('checkbox', { name: 'Skip the lint step in this workspace' }).isChecked()).toBe(true);
    expect(await form.getByRole('textbox', { name: 'Test timeout (seconds)' }).inputValue()).toBe('45');
    expect(await form.getByRole('textbox', { name: 'Retries after a failed attempt (max_retries)' }).inputValue()).toBe('0');
    expect(await form.getByRole('checkbox', { name: "Allow this workspace's build, test and lint commands to run" }).isChecked()).toBe(true);
  }, 90_000);
});
