import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { launchChromium, screenshotPath } from '../helpers/browser';
import { NOTHING_LISTENING_URL } from '../helpers/app-harness';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { CPU_ONLY_FIXTURE, RTX_4060_TI_FIXTURE, catalogSpec } from '../helpers/setup-fixtures';

let ollama: FakeOllama;
let groq: FakeOpenAI;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;

/** What the wizard recommends for a 16 GB RTX 4060 Ti with 32 GB RAM (see recommend.test.ts). */
const RECOMMENDED = [
  catalogSpec('phi4-mini', 'phi3', '3.8B', 2_500_000_000),
  catalogSpec('qwen2.5-coder:14b', 'qwen2', '14.8B', 8_988_000_000),
  catalogSpec('deepseek-coder:6.7b', 'llama', '6.7B', 3_800_000_000),
  catalogSpec('gemma3:12b', 'gemma3', '12.2B', 8_100_000_000),
  catalogSpec('nomic-embed-text', 'nomic-bert', '137M', 274_000_000),
];
const GEMMA = RECOMMENDED[3]!;

beforeAll(async () => {
  ollama = await startFakeOllama();
  for (const spec of RECOMMENDED) {
    // Scaled-down downloads (the real sizes are in /api/tags once pulled); slow enough to watch.
    // gemma's first pull is slower still (10 s), so Cancel always lands before it finishes.
    ollama.setPullSpec(spec.name, { totalBytes: 3_000_000, chunkBytes: 150_000, chunkDelayMs: spec === GEMMA ? 500 : 60, spec });
  }
  // The Groq key entered in step 5 is tested at once (issue #14): against a loopback fake, never the real API.
  groq = await startFakeOpenAI({ models: ['llama-3.1-8b-instant', 'llama-3.3-70b-versatile'], apiKey: 'gsk_test_key_1234567890' });
  h = await startHeadless({ ollamaUrl: ollama.url, env: { SWITCHBOARD_HARDWARE_FIXTURE: RTX_4060_TI_FIXTURE, GROQ_BASE_URL: `${groq.url}/v1` } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await ollama?.close();
  await groq?.close();
});

const heading = (name: string) => page.getByRole('heading', { name });
const next = () => page.getByRole('button', { name: 'Next' }).click();

describe('first-run setup wizard', () => {
  it('walks from hardware to chat, pulling the recommended models', async () => {
    await page.goto(h.server.openUrl);
    await expect.poll(() => heading('Set up Switchboard').isVisible()).toBe(true);

    // 1. Hardware.
    await expect.poll(() => page.getByText('NVIDIA GeForce RTX 4060 Ti').isVisible()).toBe(true);
    await expect.poll(() => page.getByText(/mid-size GPU: 7B–14B coding models/).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Back' }).isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('setup-1-hardware') });

    // 2. Ollama.
    await next();
    await expect.poll(() => page.getByRole('heading', { name: 'Ollama', exact: true }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Ollama 0.12.6 is running').isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('setup-2-ollama') });

    // 3. Recommendations, with fit and reasons.
    await next();
    await expect.poll(() => heading('Recommended models').isVisible()).toBe(true);
    const coder = page.getByRole('article', { name: 'Coder: qwen2.5-coder:14b' });
    await expect.poll(() => coder.isVisible()).toBe(true);
    expect(await coder.locator('.fit-badge').textContent()).toBe('Fits on GPU');
    expect(await coder.getByRole('meter').getAttribute('aria-label')).toMatch(/^Memory: needs [\d.]+ GiB of [\d.]+ GiB free VRAM$/);
    expect(await coder.getByText(/Best coder that fits the GPU/).isVisible()).toBe(true);
    expect(await page.locator('.role-card').count()).toBe(5);
    await expect.poll(() => page.getByText('5 models selected').isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('setup-3-models'), fullPage: true });

    // 4. Downloads: progress bars with bytes, speed and ETA; Cancel, then Pull resumes.
    await next();
    await expect.poll(() => heading('Download models').isVisible()).toBe(true);
    const gemma = page.getByRole('progressbar', { name: 'Pulling gemma3:12b' });
    await expect.poll(async () => Number((await gemma.getAttribute('aria-valuenow')) ?? -1)).toBeGreaterThan(0);
    const gemmaRow = page.locator('.download-list li').filter({ hasText: 'gemma3:12b' });
    await expect.poll(() => gemmaRow.locator('.pull-text').textContent()).toMatch(/\d+% .* of 3\.0 MB · [\d.]+ [KM]B\/s · \d+s left/);
    await page.screenshot({ path: screenshotPath('setup-4-downloading') });
    await page.getByRole('button', { name: 'Cancel pulling gemma3:12b' }).click();
    await expect.poll(() => page.getByText(/Cancelled at .*pulling again resumes/).isVisible()).toBe(true);
    ollama.setPullSpec(GEMMA.name, { totalBytes: 3_000_000, chunkBytes: 150_000, chunkDelayMs: 60, spec: GEMMA });
    await page.getByRole('button', { name: 'Pull gemma3:12b' }).click();
    await expect.poll(() => page.getByText('✓ Downloaded').count(), { timeout: 20_000 }).toBe(5);
    await page.screenshot({ path: screenshotPath('setup-5-downloaded') });
    expect(ollama.abortedRequests().filter((r) => r.path === '/api/pull').map((r) => r.model)).toEqual(['gemma3:12b']);

    // 5. Cloud keys (optional).
    await next();
    await expect.poll(() => heading('Cloud keys (optional)').isVisible()).toBe(true);
    await page.getByRole('textbox', { name: 'Groq API key' }).fill('gsk_test_key_1234567890');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await expect.poll(() => page.getByText('✓ Set (…7890)').isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Works: 2 models listed' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('setup-6-keys') });

    // 6. Offline only.
    await next();
    await page.getByRole('radio', { name: /Offline only/ }).check();
    await expect.poll(() => h.harness.app.services.settings.get().offlineMode).toBe(true);
    await page.screenshot({ path: screenshotPath('setup-7-offline') });

    // 7. Done: finishing lands in chat, with the new models in the picker.
    await next();
    await expect.poll(() => heading("You're set").isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Local models: 5 ready.').isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('setup-8-done') });
    await page.getByRole('button', { name: 'Finish setup' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).isVisible()).toBe(true);
    expect(h.harness.app.services.settings.get().setupCompleted).toBe(true);
    // Issue #13: the wizard's roles are saved, so Auto uses what it installed.
    expect(h.harness.app.services.settings.get().localRoles).toMatchObject({ coder: 'qwen2.5-coder:14b', chat: 'gemma3:12b' });
    // Auto and Local only, then the pulled models that can chat (the embedding model is the cache's).
    await expect.poll(() => page.getByRole('combobox', { name: 'Model' }).locator('option').allTextContents()).toHaveLength(6);

    await page.reload();
    await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).isVisible()).toBe(true);
    expect(await heading('Set up Switchboard').count()).toBe(0);
  }, 90_000);

  it('Models page: fit badges at any context, loaded models, delete', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Models' }).click();
    await expect.poll(() => heading('Models').isVisible()).toBe(true);
    const installed = page.getByRole('table', { name: 'Installed models' });
    await expect.poll(() => installed.locator('.fit-badge').count()).toBe(5);
    const catalogRow = (tag: string) => page.locator(`tr[data-model="${tag}"]`);
    await expect.poll(() => catalogRow('qwen2.5-coder:32b').locator('.fit-badge').textContent()).toMatch(/^Partly on GPU · \d+\/65 layers$/);
    expect(await catalogRow('phi3:mini').getByRole('button', { name: 'Pull phi3:mini' }).isVisible()).toBe(true);
    expect(await catalogRow('qwen2.5-coder:14b').getByText('✓ Downloaded').isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('models-8k'), fullPage: true });

    // A long context pushes the 14B coder off the GPU; a quantised KV cache brings part of it back.
    await page.getByRole('slider', { name: 'Context length' }).fill('6');
    await expect.poll(() => page.locator('output').textContent()).toBe('128K tokens');
    await expect.poll(() => catalogRow('qwen2.5-coder:14b').locator('.fit-badge').getAttribute('data-verdict')).not.toBe('full-gpu');
    await page.getByRole('combobox', { name: 'KV cache type' }).selectOption('q4_0');
    await expect.poll(() => catalogRow('phi4-mini').locator('.fit-badge').getAttribute('data-verdict')).toBe('full-gpu');
    await page.screenshot({ path: screenshotPath('models-128k-q4') });

    // Chatting loads a model: it shows as loaded with its GPU/CPU split.
    await h.harness.app.call('chat.send', { conversationId: (await h.harness.app.call('conversations.create', {})).id, content: 'hi', model: 'ollama/phi4-mini:latest' });
    await h.harness.app.services.chat.idle();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Chat' }).click();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Models' }).click();
    // The chat model, and nomic-embed-text: the response cache embedded the prompt to look it up by meaning.
    await expect.poll(() => page.getByRole('img', { name: '100% on GPU, 0% on CPU' }).count()).toBe(2);

    await page.getByRole('button', { name: 'Delete nomic-embed-text:latest' }).click();
    await page.getByRole('button', { name: 'Confirm delete nomic-embed-text:latest' }).click();
    await expect.poll(() => installed.locator('.fit-badge').count()).toBe(4);
    await page.screenshot({ path: screenshotPath('models-after-delete'), fullPage: true });
  });

  it('Settings can run setup again, and Skip setup returns to chat', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Run setup again' }).click();
    await expect.poll(() => heading('Set up Switchboard').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Skip setup' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).isVisible()).toBe(true);
  });
});

describe('setup on a machine without Ollama or a GPU', () => {
  it('shows install guidance and a CPU-sized recommendation', async () => {
    const bare = await startHeadless({
      ollamaUrl: NOTHING_LISTENING_URL,
      env: { SWITCHBOARD_HARDWARE_FIXTURE: CPU_ONLY_FIXTURE, PATH: '/nowhere' },
      setup: { lifecycle: { platform: 'linux', isExecutable: async () => false, exists: async () => false } },
    });
    const other = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await other.goto(bare.server.openUrl);
      await expect.poll(() => other.getByText('None found').isVisible()).toBe(true);
      await other.getByRole('button', { name: 'Next' }).click();
      await expect.poll(() => other.getByText('Ollama is not installed').isVisible()).toBe(true);
      expect(await other.getByText('curl -fsSL https://ollama.com/install.sh | sh').isVisible()).toBe(true);
      expect(await other.getByRole('link', { name: 'Download Ollama' }).getAttribute('href')).toBe('https://ollama.com/download');
      await other.screenshot({ path: screenshotPath('setup-no-ollama') });
      await other.getByRole('button', { name: 'Next' }).click();
      const coder = other.getByRole('article', { name: 'Coder: none' });
      await expect.poll(() => coder.isVisible()).toBe(true);
      expect(await coder.textContent()).toMatch(/Only 8\.0 GiB of RAM and no GPU/);
      expect(await other.locator('.role-card .fit-badge').first().textContent()).toBe('CPU only');
      await other.screenshot({ path: screenshotPath('setup-cpu-only-models') });
    } finally {
      await other.close();
      await bare.close();
    }
  });
});
