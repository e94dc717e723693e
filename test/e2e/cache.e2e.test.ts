import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { launchChromium, openNewChat, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

const EMBED = { name: 'nomic-embed-text:latest', embedding: true, parameterSize: '137M' };
const QUESTION = 'How do I enable the dark mode setting in the preferences window of the app?';

let ollama: FakeOllama;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;
let answers = 0;

beforeAll(async () => {
  // The embedding model first, so the chat model is the most recent one (Auto's local pick).
  ollama = await startFakeOllama({ models: [EMBED, { name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B' }] });
  // A reply that takes a visible while (20 tokens × 25 ms), so "instantly" means something.
  ollama.setBehavior('llama3.2:3b', { reply: () => `Answer ${++answers}: open Settings, then Appearance, and choose Dark. ${'More detail here. '.repeat(4)}`, tokenDelayMs: 25 });
  h = await startHeadless({ ollamaUrl: ollama.url, env: { SWITCHBOARD_API_TOKEN: 'sb-e2e-token-0123456789' } });
  h.harness.app.services.settings.update({ setupCompleted: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.setDefaultTimeout(10_000); // a missing element fails the step instead of waiting forever
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await ollama?.close();
});

const chatCalls = () => ollama.requests.filter((r) => r.path === '/api/chat').length;
const lastReply = () => page.getByRole('article', { name: 'Assistant message' }).last();

async function askInNewChat(text: string): Promise<void> {
  await openNewChat(page);
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

describe('the response cache in the browser', () => {
  it('answers a question asked again from the cache at once, and asks afresh on request', async () => {
    await page.goto(h.server.openUrl);
    await expect.poll(() => page.getByRole('combobox', { name: 'Model' }).inputValue()).toBe('switchboard/auto');

    await askInNewChat(QUESTION);
    await expect.poll(() => lastReply().getAttribute('data-status'), { timeout: 15_000 }).toBe('complete');
    await expect.poll(() => lastReply().textContent()).toContain('Answer 1');
    expect(await lastReply().getByRole('note', { name: 'From cache' }).count()).toBe(0);
    const calls = chatCalls();
    // The answer is stored just after the reply completes (it is embedded first).
    await expect.poll(() => h.harness.app.services.cache.service.stats().entries).toBe(1);

    // 2. The same question in a new chat: served from the cache, marked, with no model call.
    await askInNewChat(QUESTION);
    await expect.poll(() => lastReply().getAttribute('data-status')).toBe('complete');
    const note = lastReply().getByRole('note', { name: 'From cache' });
    await expect.poll(() => note.textContent()).toMatch(/From cache · saved \$0/);
    expect(await lastReply().textContent()).toContain('Answer 1');
    expect(chatCalls()).toBe(calls);
    const conversations = h.harness.app.services.conversations.list();
    const cached = h.harness.app.services.messages.listByConversation(conversations[0]!.id).at(-1)!;
    expect(cached.cached).toMatchObject({ kind: 'exact' });
    // The first reply streamed for ~0.5 s; this one was written whole, at once.
    expect(cached.firstTokenAt).not.toBeNull();
    expect(cached.firstTokenAt).toBe(cached.finishedAt);
    await page.screenshot({ path: screenshotPath('cache-hit') });

    // 3. "Ask again without cache": a fresh model call whose answer replaces the cached one.
    await lastReply().getByRole('button', { name: 'Ask again without cache' }).click();
    await expect.poll(() => lastReply().textContent(), { timeout: 15_000 }).toContain('Answer 2');
    await expect.poll(() => lastReply().getAttribute('data-status')).toBe('complete');
    expect(await lastReply().getByRole('note', { name: 'From cache' }).count()).toBe(0);
    expect(chatCalls()).toBe(calls + 1);
    expect(await page.getByRole('article', { name: 'Assistant message' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('cache-asked-again') });

    // 4. A paraphrase matches by meaning and says how closely.
    await askInNewChat('how can I enable the dark mode setting in the preferences window of the app');
    await expect.poll(() => lastReply().getByRole('note', { name: 'From cache' }).textContent()).toMatch(/similar question \(\d+% match\)/);
    await page.screenshot({ path: screenshotPath('cache-semantic-hit') });
  }, 60_000);

  it('the chat header opts a conversation out of the cache', async () => {
    const toggle = page.getByRole('checkbox', { name: 'Use cache' });
    expect(await toggle.isChecked()).toBe(true);
    await toggle.uncheck();
    await expect.poll(() => h.harness.app.services.conversations.list()[0]!.cacheOptOut).toBe(true);
    const calls = chatCalls();
    const replies = await page.getByRole('article', { name: 'Assistant message' }).count();
    await page.getByRole('textbox', { name: 'Message' }).fill(QUESTION);
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => chatCalls()).toBe(calls + 1);
    // The new reply is on screen (until it is, the last one is the cached answer before it).
    await expect.poll(() => page.getByRole('article', { name: 'Assistant message' }).count()).toBe(replies + 1);
    await expect.poll(() => lastReply().getAttribute('data-status'), { timeout: 15_000 }).toBe('complete');
    expect(await lastReply().getByRole('note', { name: 'From cache' }).count()).toBe(0);
  });

  it('Settings → Cache shows the stats and the settings; Settings → API the endpoint and token', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Cache' });
    const stats = section.getByLabel('Cache statistics');
    await expect.poll(() => stats.textContent()).toMatch(/\d+%Hit rate/);
    const expected = h.harness.app.services.cache.service.stats();
    expect(expected.hits).toBe(2);
    expect(await stats.textContent()).toContain(`${Math.round(expected.hitRate * 100)}%Hit rate`);
    expect(await section.textContent()).toContain('Exact and by-meaning matching are on (embeddings: nomic-embed-text:latest)');
    expect(await section.getByRole('checkbox', { name: 'Use the cache' }).isChecked()).toBe(true);
    expect(await section.getByRole('spinbutton', { name: 'Chat temperature' }).inputValue()).toBe('0.3');
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('settings-cache') });

    const api = page.getByRole('region', { name: 'API' });
    await expect.poll(() => api.textContent()).toContain(`Listening at ${h.server.url}/v1`);
    expect(await api.textContent()).toContain('from SWITCHBOARD_API_TOKEN');
    await api.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('settings-api') });

    // Settings take effect at once: turning the cache off is saved and shown.
    await section.getByRole('checkbox', { name: 'Use the cache' }).uncheck();
    await section.getByRole('button', { name: 'Save cache settings' }).click();
    await expect.poll(() => h.harness.app.services.cache.service.settings.enabled).toBe(false);
    await expect.poll(() => section.textContent()).toContain('The cache is off');
    await section.getByRole('checkbox', { name: 'Use the cache' }).check();
    await section.getByRole('button', { name: 'Save cache settings' }).click();
    await expect.poll(() => h.harness.app.services.cache.service.settings.enabled).toBe(true);
  });

  it('says so when no embedding model is installed', async () => {
    ollama.removeModel(EMBED.name);
    try {
      await h.harness.app.services.cache.sync.refresh(true);
      await page.reload();
      const section = page.getByRole('region', { name: 'Cache' });
      await expect.poll(() => section.textContent()).toContain('ollama pull nomic-embed-text');
      await section.scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath('settings-cache-no-embeddings') });
    } finally {
      ollama.addModel(EMBED);
    }
  });
});
