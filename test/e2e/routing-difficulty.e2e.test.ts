import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { launchChromium, openNewChat, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

/**
 * Issue #11 in the browser: 👍/👎 on a routed reply, what it teaches shown in "Why this model?",
 * and Settings → Routing's Savings ↔ Quality dial and "Forget what routing learnt".
 * No cloud keys: Auto answers on the local model, whatever tier the estimate asks for.
 */
let ollama: FakeOllama;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'qwen2.5-coder:7b', family: 'qwen2', parameterSize: '7.6B', sizeBytes: 4_683_087_332 }] });
  ollama.setBehavior('qwen2.5-coder:7b', { reply: 'A B-tree keeps keys sorted, so a range scan walks neighbouring leaves.' });
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

async function ask(text: string) {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  const reply = page.getByRole('article', { name: 'Assistant message' }).last();
  await expect.poll(() => reply.getAttribute('data-status')).toBe('complete');
  return reply;
}

describe('routing that learns from the user (issue #11)', () => {
  it('👎 on a reply makes a similar request start higher, and "Why this model?" says so', async () => {
    await page.goto(h.server.openUrl);
    await openNewChat(page);
    const reply = await ask('Explain how a B-tree index speeds up range queries in Postgres');
    const good = reply.getByRole('button', { name: 'Good answer' });
    const bad = reply.getByRole('button', { name: 'Bad answer' });
    expect(await good.getAttribute('aria-pressed')).toBe('false');
    await bad.click();
    await expect.poll(() => bad.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => reply.getByRole('status').textContent()).toBe('Thanks: similar requests will start on a stronger tier.');
    expect(h.harness.app.services.routing.outcomes.count()).toBe(1);
    await page.screenshot({ path: screenshotPath('routing-feedback-1280') });
    await page.setViewportSize({ width: 800, height: 600 });
    await reply.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('routing-feedback-800') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // A near-duplicate in a new chat (in the same chat it would also count as an edit and resend): the
    // record says what was learnt (no cloud key here, so the local model still answers).
    await openNewChat(page);
    const again = await ask('Explain how a B-tree index speeds up range queries in Postgres, briefly');
    await again.getByRole('button', { name: 'Why this model?' }).click();
    const panel = page.getByRole('dialog', { name: 'Why this model?' });
    await expect.poll(() => panel.textContent()).toContain('1 similar request was rated a bad answer on local: starting at free.');
    await panel.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.screenshot({ path: screenshotPath('routing-why-learnt') });
    await panel.getByRole('button', { name: 'Close' }).click();
  });

  it('Settings → Routing: "Estimate difficulty" turns the estimator on, the Savings ↔ Quality dial saves to the router config, and "Forget" resets what was learnt', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Routing' });
    const dial = section.getByRole('slider', { name: 'Savings ↔ Quality' });
    // The estimator is opt-in (it did not beat the length rules on held-out data): the dial waits for it.
    const estimate = section.getByRole('checkbox', { name: /Estimate difficulty \(experimental\)/ });
    expect(await estimate.isChecked()).toBe(false);
    expect(await dial.isDisabled()).toBe(true);
    await estimate.check();
    expect(await dial.isDisabled()).toBe(false);
    const start = Number(await dial.inputValue());
    expect(start).toBe(Math.round((h.harness.app.services.routing.config().difficulty?.threshold ?? 0) * 100));
    expect(await dial.getAttribute('aria-valuetext')).toMatch(/^\d+ %: /);
    await dial.focus();
    for (let i = 0; i < 11; i += 1) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => dial.inputValue()).toBe(String(start - 11));
    await section.getByRole('button', { name: 'Save routing' }).click();
    await expect.poll(() => h.harness.app.services.routing.config().difficulty?.threshold).toBeCloseTo((start - 11) / 100, 5);
    expect(h.harness.app.services.routing.config().difficulty?.enabled).toBe(true);
    await expect.poll(() => section.getByRole('status').first().textContent()).toBe('Routing saved.');

    const learnt = section.getByRole('region', { name: 'Learnt from your outcomes' });
    await expect.poll(() => learnt.textContent()).toContain('1 outcome remembered');
    await dial.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('settings-routing-dial-1280') });
    await page.setViewportSize({ width: 800, height: 600 });
    await dial.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('settings-routing-dial-800') });
    await learnt.scrollIntoViewIfNeeded();
    await learnt.getByRole('button', { name: 'Forget what routing learnt' }).click();
    await expect.poll(() => learnt.getByRole('status').textContent()).toBe('Forgot 1 outcome: routing starts from its trained estimate again.');
    expect(h.harness.app.services.routing.outcomes.count()).toBe(0);
    expect(await learnt.getByRole('button', { name: 'Forget what routing learnt' }).isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('settings-routing-forgot-800') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
