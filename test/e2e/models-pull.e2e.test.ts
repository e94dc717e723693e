import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { launchChromium, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';
import { FAST_PULLS, RTX_4060_TI_FIXTURE } from '../helpers/setup-fixtures';

// Issue #13 item 4: the Models page pulls any tag a user types, a Hugging Face GGUF included.
const HF = 'hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M';

let ollama: FakeOllama;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B' }] });
  // Slow enough to see the bar move; the fake reports Ollama's real progress lines.
  ollama.setPullSpec(HF, { totalBytes: 2_019_000_000, chunkBytes: 40_000_000, chunkDelayMs: 60, spec: { name: HF, family: 'llama', parameterSize: '3.2B', contextLength: 131_072 } });
  h = await startHeadless({ env: { OLLAMA_HOST: ollama.url, SWITCHBOARD_HARDWARE_FIXTURE: RTX_4060_TI_FIXTURE }, setup: FAST_PULLS });
  h.harness.app.services.settings.update({ setupCompleted: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
  await ollama?.close();
});

describe('Models → Pull any model', () => {
  it('refuses a web address with what to type instead, then pulls a typed Hugging Face tag with progress', async () => {
    await page.goto(h.server.openUrl);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Models' }).click();
    const region = page.getByRole('region', { name: 'Pull any model' });
    const input = region.getByRole('textbox', { name: 'Model name' });
    await input.fill('https://huggingface.co/bartowski/Llama-3.2-3B-Instruct-GGUF');
    await region.getByRole('button', { name: 'Pull', exact: true }).click();
    await expect.poll(() => region.getByRole('alert').textContent()).toContain('hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: screenshotPath('models-pull-any-invalid-1280') });
    expect(ollama.requests.filter((r) => r.path === '/api/pull')).toHaveLength(0);

    await input.fill(HF);
    await region.getByRole('button', { name: 'Pull', exact: true }).click();
    const bar = region.getByRole('progressbar', { name: `Pulling ${HF}` });
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('models-pull-any-progress-1280') });
    await page.setViewportSize({ width: 800, height: 600 });
    await page.screenshot({ path: screenshotPath('models-pull-any-progress-800') });
    await expect.poll(() => region.getByRole('status').textContent(), { timeout: 15_000 }).toContain('Downloaded');

    // Installed, with a fit read from the model's own metadata (/api/show).
    const installed = page.getByRole('table', { name: 'Installed models' });
    await expect.poll(() => installed.getByRole('row').filter({ hasText: HF }).count(), { timeout: 10_000 }).toBe(1);
    await page.screenshot({ path: screenshotPath('models-pull-any-done-800') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: screenshotPath('models-pull-any-done-1280') });
    expect(ollama.requests.filter((r) => r.path === '/api/pull').map((r) => (r.body as { model?: string; name?: string }).model ?? (r.body as { name?: string }).name)).toEqual([HF]);
  });
});
