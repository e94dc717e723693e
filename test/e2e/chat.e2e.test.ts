import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { launchChromium, openNewChat, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

let ollama: FakeOllama;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;

const LONG_REPLY = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');

beforeAll(async () => {
  ollama = await startFakeOllama({
    models: [
      { name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B', sizeBytes: 2_019_393_189 },
      { name: 'qwen2.5-coder:7b', family: 'qwen2', parameterSize: '7.6B', sizeBytes: 4_683_087_332 },
    ],
  });
  h = await startHeadless({ ollamaUrl: ollama.url });
  // This test is about chat: the first-run setup wizard has its own (setup.e2e.test.ts).
  h.harness.app.services.settings.update({ setupCompleted: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await ollama?.close();
});

describe('chat in the browser (headless mode)', () => {
  it('streams a reply, stops another mid-stream, and finds both after a reload', async () => {
    await page.goto(h.server.openUrl);
    const message = page.getByRole('textbox', { name: 'Message' });
    const picker = page.getByRole('combobox', { name: 'Model' });
    // Auto and Local only, then the two installed models.
    await expect.poll(() => picker.locator('option').allTextContents()).toHaveLength(4);
    await picker.selectOption('ollama/llama3.2:3b');
    await expect.poll(() => picker.inputValue()).toBe('ollama/llama3.2:3b');

    // 1. A reply that streams in token by token.
    ollama.setBehavior('llama3.2:3b', { reply: 'Here is some code:\n\n```python\nprint("hello")\n```\n\nDone.', tokenDelayMs: 50 });
    await message.fill('Write hello world in Python');
    await page.getByRole('button', { name: 'Send' }).click();
    const first = page.getByRole('article', { name: 'Assistant message' }).last();
    // It streams for ~0.5 s; a slow poll may first see it complete (Stop below proves the live stream).
    await expect.poll(() => first.getAttribute('data-status')).toMatch(/^(streaming|complete)$/);
    await expect.poll(() => first.getAttribute('data-status'), { timeout: 10_000 }).toBe('complete');
    await expect.poll(() => first.locator('pre code').textContent()).toContain('print("hello")');
    // Highlighted by highlight.js.
    expect(await first.locator('pre code .hljs-built_in, pre code .hljs-string').count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('chat-streamed') });

    // 2. A second conversation whose reply is stopped mid-stream.
    // The stream stalls after 10 words and only Stop ends it, however late the click lands.
    ollama.setBehavior('llama3.2:3b', { reply: LONG_REPLY, tokenDelayMs: 40, stallAfterTokens: 10 });
    await openNewChat(page);
    // A new chat starts on Auto; this one is pinned to the model the fake streams slowly.
    await expect.poll(() => picker.inputValue()).toBe('switchboard/auto');
    await picker.selectOption('ollama/llama3.2:3b');
    await message.fill('Count slowly');
    await page.getByRole('button', { name: 'Send' }).click();
    const second = page.getByRole('article', { name: 'Assistant message' }).last();
    await expect.poll(async () => (await second.textContent())?.includes('word5')).toBe(true);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => second.getAttribute('data-status')).toBe('cancelled');
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).isVisible()).toBe(true);
    const stoppedText = (await second.locator('.markdown').textContent()) ?? '';
    expect(stoppedText).not.toContain('word59');
    await ollama.waitForIdle();
    expect(ollama.abortedRequests().length).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: screenshotPath('chat-stopped') });

    // 3. Reload: both conversations are still there, with their text.
    await page.reload();
    const conversations = page.getByRole('navigation', { name: 'Conversations' }).locator('.conversation-title');
    await expect.poll(() => conversations.allTextContents()).toEqual(['Count slowly', 'Write hello world in Python']);
    const reloaded = page.getByRole('article', { name: 'Assistant message' }).last();
    await expect.poll(() => reloaded.getAttribute('data-status')).toBe('cancelled');
    expect((await reloaded.locator('.markdown').textContent()) ?? '').toBe(stoppedText);
    await conversations.filter({ hasText: 'Write hello world' }).click();
    await expect.poll(() => page.getByRole('article', { name: 'Assistant message' }).last().locator('pre code').textContent()).toContain('print("hello")');

    // 4. Switching the model inside a conversation that already used one takes effect.
    await page.getByRole('combobox', { name: 'Model' }).selectOption('ollama/qwen2.5-coder:7b');
    ollama.setBehavior('qwen2.5-coder:7b', { reply: 'From the coder model.' });
    await message.fill('And in Rust?');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByRole('article', { name: 'Assistant message' }).last().textContent()).toContain('From the coder model.');
    expect(ollama.requests.filter((r) => r.path === '/api/chat').at(-1)?.model).toBe('qwen2.5-coder:7b');
  });

  it('renames and deletes a conversation', async () => {
    const nav = page.getByRole('navigation', { name: 'Conversations' });
    await nav.getByRole('button', { name: 'Rename Count slowly' }).click();
    await nav.getByRole('textbox', { name: 'Conversation title' }).fill('Counting test');
    await nav.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => nav.locator('.conversation-title').allTextContents()).toContain('Counting test');
    await nav.getByRole('button', { name: 'Delete Counting test' }).click();
    await nav.getByRole('button', { name: 'Confirm delete Counting test' }).click();
    await expect.poll(() => nav.locator('.conversation-title').allTextContents()).toEqual(['Write hello world in Python']);
    await page.reload();
    await expect.poll(() => nav.locator('.conversation-title').allTextContents()).toEqual(['Write hello world in Python']);
  });

  it('offers to continue a reply cut off by a failure on another model, keeping its text', async () => {
    await openNewChat(page);
    await page.getByRole('combobox', { name: 'Model' }).selectOption('ollama/llama3.2:3b');
    ollama.setBehavior('llama3.2:3b', { reply: 'one two three four five six', failAfterTokens: 3 });
    ollama.setBehavior('qwen2.5-coder:7b', { reply: ' seven eight.' });
    await page.getByRole('textbox', { name: 'Message' }).fill('Count to eight');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.getByRole('article', { name: 'Assistant message' }).last();
    await expect.poll(() => reply.getAttribute('data-status')).toBe('error');
    const partial = (await reply.locator('.markdown').textContent()) ?? '';
    expect(partial.length).toBeGreaterThan(0);
    await reply.getByRole('combobox', { name: 'Model to continue on' }).selectOption('ollama/qwen2.5-coder:7b');
    await page.screenshot({ path: screenshotPath('chat-continue-offer') });
    await reply.getByRole('button', { name: 'Continue on this model' }).click();
    await expect.poll(() => reply.getAttribute('data-status')).toBe('complete');
    await expect.poll(() => reply.locator('.markdown').textContent()).toBe(`${partial} seven eight.`);
    ollama.setBehavior('llama3.2:3b', {});
    ollama.setBehavior('qwen2.5-coder:7b', {});
  });

  it('says clearly when Ollama is not running', async () => {
    const other = await browser.newPage({ viewport: { width: 1280, height: 700 } });
    h.harness.app.services.settings.update({ ollamaHost: 'http://127.0.0.1:2' });
    try {
      await other.goto(h.server.openUrl);
      await expect.poll(() => other.getByRole('status').filter({ hasText: "Ollama isn't running" }).count()).toBe(1);
      await other.screenshot({ path: screenshotPath('chat-ollama-down') });
    } finally {
      h.harness.app.services.settings.update({ ollamaHost: ollama.url });
      await other.close();
    }
  });
});
