import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { llama32Header } from '../fixtures/gguf-bytes';
import { startFakeHuggingFace, type FakeHuggingFace } from '../fixtures/fake-huggingface';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { QWEN_MODELS, startFakeOllamaLibrary, type FakeOllamaLibrary } from '../fixtures/fake-ollama-library';
import { launchChromium, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';
import { FAST_PULLS, RTX_4060_TI_FIXTURE } from '../helpers/setup-fixtures';

// Issue #13 item 4: the Models page pulls any tag a user types, a Hugging Face GGUF included.
const HF = 'hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M';

let ollama: FakeOllama;
let hf: FakeHuggingFace;
let lib: FakeOllamaLibrary;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B' }] });
  // Slow enough to see the bar move; the fake reports Ollama's real progress lines.
  ollama.setPullSpec(HF, { totalBytes: 2_019_000_000, chunkBytes: 40_000_000, chunkDelayMs: 60, spec: { name: HF, family: 'llama', parameterSize: '3.2B', contextLength: 131_072 } });
  // The Hugging Face repository the GGUF header (and so the fit before the pull) is read from.
  hf = await startFakeHuggingFace();
  hf.setRepo('bartowski/Llama-3.2-3B-Instruct-GGUF', {
    'Llama-3.2-3B-Instruct-Q4_K_M.gguf': { header: llama32Header(), sizeBytes: 2_019_377_696 },
    'Llama-3.2-3B-Instruct-Q8_0.gguf': { header: llama32Header(), sizeBytes: 3_421_899_104 },
  });
  // ollama.com's search page, for the suggestions as a plain name is typed.
  lib = await startFakeOllamaLibrary(QWEN_MODELS);
  ollama.setPullSpec('qwen2.5-coder:1.5b', { totalBytes: 986_000_000, chunkBytes: 20_000_000, chunkDelayMs: 60, spec: { name: 'qwen2.5-coder:1.5b', family: 'qwen2', parameterSize: '1.5B', contextLength: 32_768 } });
  h = await startHeadless({ env: { OLLAMA_HOST: ollama.url, SWITCHBOARD_HF_BASE_URL: hf.url, SWITCHBOARD_OLLAMA_LIBRARY_URL: lib.url, SWITCHBOARD_HARDWARE_FIXTURE: RTX_4060_TI_FIXTURE }, setup: FAST_PULLS });
  h.harness.app.services.settings.update({ setupCompleted: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
  await ollama?.close();
  await hf?.close();
  await lib?.close();
});

describe('Models → Pull any model', () => {
  it('refuses a web address with what to type instead, then pulls a typed Hugging Face tag with progress', async () => {
    await page.goto(h.server.openUrl);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Models' }).click();
    const region = page.getByRole('region', { name: 'Pull any model' });
    const input = region.getByRole('combobox', { name: 'Model name' });
    await input.fill('https://huggingface.co/bartowski/Llama-3.2-3B-Instruct-GGUF');
    await region.getByRole('button', { name: 'Pull', exact: true }).click();
    await expect.poll(() => region.getByRole('alert').textContent()).toContain('hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: screenshotPath('models-pull-any-invalid-1280') });
    expect(ollama.requests.filter((r) => r.path === '/api/pull')).toHaveLength(0);

    await input.fill(HF);
    // Before the pull: the fit from the GGUF header on Hugging Face (a Range read, no download).
    const fit = region.getByRole('note', { name: 'Estimated fit' });
    await expect.poll(() => fit.textContent(), { timeout: 10_000 }).toMatch(/^Q4_K_M, 2\.0 GB: fits on your GPU with \d+K context\.$/);
    expect(hf.requests.some((r) => r.range?.startsWith('bytes=0-'))).toBe(true);
    await page.screenshot({ path: screenshotPath('models-pull-any-fit-1280') });
    expect(ollama.requests.filter((r) => r.path === '/api/pull')).toHaveLength(0);
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

  it('suggests models from the Ollama library as a plain name is typed; a picked one pulls with progress', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const region = page.getByRole('region', { name: 'Pull any model' });
    const input = region.getByRole('combobox', { name: 'Model name' });
    await input.fill('');
    await input.pressSequentially('qwen');
    const list = region.getByRole('listbox', { name: 'Ollama library suggestions' });
    await expect.poll(() => list.getByRole('option').count(), { timeout: 10_000 }).toBe(4);
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    expect(await input.getAttribute('aria-controls')).toBe(await list.getAttribute('id'));
    expect(await list.getByRole('option').allTextContents()).toEqual([
      expect.stringMatching(/^qwen3 0\.6b, 1\.7b.* · tools, thinking · 4\.1M pulls$/),
      expect.stringMatching(/^qwen2\.5-coder 0\.5b, 1\.5b, 3b, 7b, 14b, 32b · tools · 6\.4M pulls$/),
      expect.stringMatching(/^qwen2\.5vl /),
      expect.stringMatching(/^qwen3-embedding /),
    ]);
    expect(lib.requests.at(-1)).toMatchObject({ path: '/search', q: 'qwen', hxRequest: 'true' });
    await page.screenshot({ path: screenshotPath('models-pull-any-suggest-1280') });

    // Esc closes the list; the arrow keys open it again and walk it.
    await input.press('Escape');
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    expect(await list.getByRole('option', { selected: true }).textContent()).toMatch(/^qwen2\.5-coder /);
    expect(await input.getAttribute('aria-activedescendant')).toBe(await list.getByRole('option', { selected: true }).getAttribute('id'));
    await input.press('Enter');
    expect(await input.inputValue()).toBe('qwen2.5-coder');
    // Picking fills the box; it does not pull (only the Hugging Face pull above so far).
    expect(ollama.requests.filter((r) => r.path === '/api/pull')).toHaveLength(1);

    // The picked model's sizes come first: pick one with the keyboard.
    await expect.poll(() => list.getByRole('option').first().textContent(), { timeout: 10_000 }).toMatch(/^qwen2\.5-coder:0\.5b/);
    await page.setViewportSize({ width: 800, height: 600 });
    await page.screenshot({ path: screenshotPath('models-pull-any-suggest-sizes-800') });
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    await input.press('Enter');
    expect(await input.inputValue()).toBe('qwen2.5-coder:1.5b');
    expect(await input.getAttribute('aria-expanded')).toBe('false');

    await region.getByRole('button', { name: 'Pull', exact: true }).click();
    const bar = region.getByRole('progressbar', { name: 'Pulling qwen2.5-coder:1.5b' });
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => region.getByRole('status').textContent(), { timeout: 15_000 }).toContain('Downloaded');
    expect(ollama.requests.filter((r) => r.path === '/api/pull').map((r) => (r.body as { model?: string; name?: string }).model ?? (r.body as { name?: string }).name)).toEqual([HF, 'qwen2.5-coder:1.5b']);
  });

  it('names the quantizations a repository has, and says offline that the fit comes after the pull', async () => {
    await page.setViewportSize({ width: 800, height: 600 });
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Models' }).click();
    const region = page.getByRole('region', { name: 'Pull any model' });
    const input = region.getByRole('combobox', { name: 'Model name' });
    const fit = region.getByRole('note', { name: 'Estimated fit' });
    await input.fill('hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:IQ1_S');
    await expect.poll(() => fit.textContent(), { timeout: 10_000 }).toBe('bartowski/Llama-3.2-3B-Instruct-GGUF has no IQ1_S file; it has Q4_K_M, Q8_0.');
    await page.screenshot({ path: screenshotPath('models-pull-any-fit-missing-800') });

    h.harness.app.services.settings.update({ offlineMode: true });
    hf.requests.length = 0;
    await input.fill('hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q8_0');
    await expect.poll(() => fit.textContent(), { timeout: 10_000 }).toBe("Fit after pull: offline mode does not read the file's header on Hugging Face.");
    expect(hf.requests).toEqual([]);
    await page.screenshot({ path: screenshotPath('models-pull-any-fit-offline-800') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: screenshotPath('models-pull-any-fit-offline-1280') });

    // Offline, library search is off (no request) and free text pulls as before.
    lib.requests.length = 0;
    await input.fill('');
    await input.pressSequentially('mistral-nem');
    const note = region.getByRole('note', { name: 'Library search' });
    await expect.poll(() => note.textContent(), { timeout: 10_000 }).toBe('Library search is unavailable offline — type any tag.');
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    expect(lib.requests).toEqual([]);
    await page.screenshot({ path: screenshotPath('models-pull-any-search-offline-1280') });
    await page.setViewportSize({ width: 800, height: 600 });
    await page.screenshot({ path: screenshotPath('models-pull-any-search-offline-800') });
    h.harness.app.services.settings.update({ offlineMode: false });
  });
});
