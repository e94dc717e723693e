import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { launchChromium, openNewChat, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

const LLAMA = 'ollama/llama3.2:3b';
const CODE_REPLY = 'Here you go:\n\n```python\nprint("hi")\n```\n\nThat prints hi.';

let ollama: FakeOllama;
let groq: FakeOpenAI;
let h: HeadlessHarness;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  ollama = await startFakeOllama({
    models: [
      { name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B', sizeBytes: 2_019_393_189 },
      { name: 'qwen2.5-coder:7b', family: 'qwen2', parameterSize: '7.6B', sizeBytes: 4_683_087_332 },
    ],
  });
  groq = await startFakeOpenAI({ models: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'], apiKey: 'gsk_chat_actions_1234' });
  groq.setBehavior('*', { reply: 'Groq: a stronger answer.' });
  h = await startHeadless({ ollamaUrl: ollama.url, env: { GROQ_API_KEY: 'gsk_chat_actions_1234', GROQ_BASE_URL: `${groq.url}/v1` } });
  h.harness.app.services.settings.update({ setupCompleted: true });
  browser = await launchChromium();
  // Copy is checked by reading the clipboard back: the context may read it.
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });
  page = await context.newPage();
  await page.goto(h.server.openUrl);
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await Promise.all([ollama?.close(), groq?.close()]);
});

const picker = (): Locator => page.getByRole('combobox', { name: 'Model' });
const composer = (): Locator => page.getByRole('textbox', { name: 'Message' });
const replies = (): Locator => page.getByRole('article', { name: 'Assistant message' });
const mine = (): Locator => page.getByRole('article', { name: 'Your message' });
const titles = (): Locator => page.getByRole('navigation', { name: 'Conversations' }).locator('.conversation-title');
const lastChatRequest = (): { model: string; messages: { role: string; content: string }[] } =>
  ollama.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { model: string; messages: { role: string; content: string }[] };
const clipboard = (): Promise<string> => page.evaluate<string>('navigator.clipboard.readText()');
const focusedId = (): Promise<string> => page.evaluate<string>("document.activeElement ? document.activeElement.id : ''");
const hasFocus = (l: Locator): Promise<boolean> => l.evaluate((el) => el === el.ownerDocument.activeElement);

async function sendAndWait(text: string): Promise<Locator> {
  const before = await replies().count();
  await composer().fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => replies().count()).toBe(before + 1);
  const reply = replies().last();
  await expect.poll(() => reply.getAttribute('data-status'), { timeout: 10_000 }).not.toBe('streaming');
  return reply;
}

describe('chat actions, versions and the conversation’s model (issue #14)', () => {
  it('keeps a chat’s Local only choice across a page switch and a reload; empty chats are not saved', async () => {
    ollama.setBehavior('llama3.2:3b', { reply: 'A private answer.' });
    await openNewChat(page);
    // A new chat starts from the user's default: Auto until one is set.
    await expect.poll(() => picker().inputValue()).toBe('switchboard/auto');
    await picker().selectOption('switchboard/local');
    await sendAndWait('Keep this on my computer');
    const id = h.harness.app.services.conversations.list()[0]!.id;
    expect(h.harness.app.services.conversations.get(id)?.model).toBe('switchboard/local');

    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Models' }).click();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Chat' }).click();
    await expect.poll(() => picker().inputValue()).toBe('switchboard/local');
    await page.reload();
    await expect.poll(() => picker().inputValue()).toBe('switchboard/local');
    await expect.poll(() => replies().count()).toBe(1);
    await sendAndWait('And this too');
    expect(groq.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(0);

    // "New chat" three times, and Ctrl+N: nothing is saved until a message is sent.
    const count = h.harness.app.services.conversations.list().length;
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Models' }).click();
    await page.keyboard.press('Control+n');
    await expect.poll(() => page.locator('.chat-title').textContent()).toBe('New chat');
    await expect.poll(() => focusedId()).toBe('composer');
    expect(h.harness.app.services.conversations.list()).toHaveLength(count);
    expect(await titles().count()).toBe(count);
    await page.screenshot({ path: screenshotPath('chat-actions-new-unsaved') });
  });

  it('Copy copies a message and a code block; Regenerate keeps versions with Previous / Next and "2 / 3"', async () => {
    await openNewChat(page);
    await picker().selectOption(LLAMA);
    ollama.setBehavior('llama3.2:3b', { reply: CODE_REPLY });
    const reply = await sendAndWait('Print hi in Python');
    await reply.hover();
    await reply.getByRole('toolbar').getByRole('button', { name: 'Copy', exact: true }).click();
    await expect.poll(clipboard).toBe(CODE_REPLY);
    await reply.locator('.code-block').hover();
    await reply.locator('.code-block').getByRole('button', { name: 'Copy', exact: true }).click();
    await expect.poll(clipboard).toBe('print("hi")\n');
    await page.screenshot({ path: screenshotPath('chat-actions-copy') });

    ollama.setBehavior('llama3.2:3b', { reply: 'Second version.' });
    await reply.getByRole('button', { name: 'Regenerate', exact: true }).click();
    await expect.poll(() => replies().last().textContent()).toContain('Second version.');
    await expect.poll(() => replies().last().getAttribute('data-status')).toBe('complete');
    // The regenerated reply was sent the same turn, on the same route.
    expect(lastChatRequest().messages.map((m) => m.content)).toEqual(['Print hi in Python']);
    expect(lastChatRequest().model).toBe('llama3.2:3b');
    ollama.setBehavior('llama3.2:3b', { reply: 'Third version.' });
    await replies().last().getByRole('button', { name: 'Regenerate', exact: true }).click();
    await expect.poll(() => replies().last().textContent()).toContain('Third version.');
    await expect.poll(() => replies().last().locator('.version-count').textContent()).toBe('3 / 3');
    await replies().last().getByRole('button', { name: 'Previous version' }).click();
    await expect.poll(() => replies().last().locator('.version-count').textContent()).toBe('2 / 3');
    await expect.poll(() => replies().last().textContent()).toContain('Second version.');
    await page.screenshot({ path: screenshotPath('chat-actions-versions') });

    // The conversation continues from the version shown: the next turn's context has it.
    ollama.setBehavior('llama3.2:3b', { reply: 'Following up.' });
    await sendAndWait('Go on');
    expect(lastChatRequest().messages.map((m) => m.content)).toEqual(['Print hi in Python', 'Second version.', 'Go on']);
    await replies().first().getByRole('button', { name: 'Next version' }).click();
    await expect.poll(() => replies().first().locator('.version-count').textContent()).toBe('3 / 3');
    // Version 3 has no follow-up yet: the branch shown ends with it.
    await expect.poll(() => replies().count()).toBe(1);
    await page.reload();
    await expect.poll(() => replies().first().locator('.version-count').textContent()).toBe('3 / 3');
  });

  it('Regenerate’s menu answers on a stronger tier (recorded for routing to learn)', async () => {
    const outcomes = h.harness.app.services.routing.outcomes.count();
    await replies().last().hover();
    await replies().last().getByRole('button', { name: 'Regenerate with…' }).click();
    const menu = page.getByRole('menu', { name: 'Regenerate with' });
    // Local answered, so the next tier up is Groq's free tier.
    await expect.poll(() => menu.getByRole('menuitem').first().textContent()).toMatch(/^A stronger tier \(groq\//);
    const groqCalls = groq.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    await page.screenshot({ path: screenshotPath('chat-actions-regenerate-menu') });
    await menu.getByRole('menuitem', { name: /A stronger tier/ }).click();
    await expect.poll(() => replies().last().textContent()).toContain('Groq: a stronger answer.');
    await expect.poll(() => replies().last().locator('.version-count').textContent()).toBe('4 / 4');
    expect(groq.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(groqCalls + 1);
    expect(h.harness.app.services.routing.outcomes.count()).toBe(outcomes + 1);
    // The chat's own choice did not change: it was one reply on another model.
    await expect.poll(() => picker().inputValue()).toBe(LLAMA);
  });

  it('Edit: Esc cancels, Enter sends a new version; ↑ in the empty composer edits the last message', async () => {
    ollama.setBehavior('llama3.2:3b', { reply: ({ messages }) => `Answer to: ${messages.at(-1)?.content}` });
    await openNewChat(page);
    await picker().selectOption(LLAMA);
    await sendAndWait('First question');
    await sendAndWait('Secnd question');
    const requests = ollama.requests.length;
    await mine().last().hover();
    await mine().last().getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = page.getByRole('textbox', { name: 'Edit message' });
    await editor.fill('Changed my mind');
    await editor.press('Escape');
    await expect.poll(() => editor.count()).toBe(0);
    await expect.poll(() => mine().last().textContent()).toContain('Secnd question');
    expect(ollama.requests.length).toBe(requests);

    // ↑ in the empty composer opens the last message of yours in the editor.
    await composer().focus();
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => editor.inputValue()).toBe('Secnd question');
    await editor.fill('Second question');
    await page.screenshot({ path: screenshotPath('chat-actions-edit') });
    await editor.press('Enter');
    await expect.poll(() => replies().last().textContent()).toContain('Answer to: Second question');
    await expect.poll(() => mine().last().locator('.version-count').textContent()).toBe('2 / 2');
    expect(lastChatRequest().messages.map((m) => m.content)).toEqual(['First question', 'Answer to: First question', 'Second question']);
    await mine().last().getByRole('button', { name: 'Previous version' }).click();
    await expect.poll(() => mine().last().textContent()).toContain('Secnd question');
    await expect.poll(() => replies().last().textContent()).toContain('Answer to: Secnd question');
  });

  it('Delete removes a message; Retry answers a failed reply again', async () => {
    const before = await replies().count();
    await replies().last().hover();
    await replies().last().getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => replies().count()).toBe(before - 1);

    ollama.setBehavior('llama3.2:3b', { errorStatus: 400, errorBody: JSON.stringify({ error: 'model is busy, try again' }) });
    const failed = await sendAndWait('Will this fail?');
    expect(await failed.getAttribute('data-status')).toBe('error');
    await page.screenshot({ path: screenshotPath('chat-actions-failed') });
    ollama.setBehavior('llama3.2:3b', { reply: 'Now it works.' });
    await failed.getByRole('button', { name: 'Retry', exact: true }).click();
    await expect.poll(() => failed.getAttribute('data-status')).toBe('complete');
    await expect.poll(() => failed.textContent()).toContain('Now it works.');
  });

  it('Esc stops a streaming reply', async () => {
    ollama.setBehavior('llama3.2:3b', { reply: Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '), tokenDelayMs: 30, stallAfterTokens: 5 });
    await composer().fill('Count slowly');
    await composer().press('Enter');
    const reply = replies().last();
    await expect.poll(() => reply.textContent()).toContain('w3');
    await page.keyboard.press('Escape');
    await expect.poll(() => reply.getAttribute('data-status')).toBe('cancelled');
    ollama.setBehavior('llama3.2:3b', {});
  });

  it('a skip link and the model picker come first in the tab order', async () => {
    await page.reload();
    await expect.poll(() => picker().count()).toBe(1);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to composer' });
    await expect.poll(() => hasFocus(skip)).toBe(true);
    await page.screenshot({ path: screenshotPath('chat-actions-skip-link') });
    await page.keyboard.press('Tab');
    await expect.poll(() => hasFocus(picker())).toBe(true);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedId()).toBe('composer');
  });

  it('says when the chat’s model is unavailable and asks: choose another or keep it', async () => {
    const id = h.harness.app.services.conversations.list()[0]!.id;
    await h.harness.app.call('conversations.update', { id, model: 'ollama/gone:1b' });
    await page.reload();
    await page.getByRole('navigation', { name: 'Conversations' }).locator('.conversation-title').first().click();
    const banner = page.getByRole('status').filter({ hasText: 'ollama/gone:1b is not available' });
    await expect.poll(() => banner.count()).toBe(1);
    await expect.poll(() => picker().inputValue()).toBe('ollama/gone:1b');
    for (const size of [{ width: 1280, height: 800 }, { width: 800, height: 600 }]) {
      await page.setViewportSize(size);
      await page.screenshot({ path: screenshotPath(`chat-actions-unavailable-${size.width}x${size.height}`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await banner.getByRole('button', { name: 'Keep ollama/gone:1b' }).click();
    await expect.poll(() => banner.count()).toBe(0);
    // Kept: still the chat's choice, nothing switched.
    expect(h.harness.app.services.conversations.get(id)?.model).toBe('ollama/gone:1b');
    await picker().selectOption(LLAMA);
    await expect.poll(() => h.harness.app.services.conversations.get(id)?.model).toBe(LLAMA);
  });

  it('Chat settings: system prompt, temperature and reply length reach the model; a preset starts a chat; / inserts a saved prompt', async () => {
    ollama.setBehavior('llama3.2:3b', { reply: 'Arr.' });
    await openNewChat(page);
    await page.getByRole('button', { name: 'Chat settings', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Chat settings' });
    await panel.getByRole('combobox', { name: 'Answer with' }).selectOption(LLAMA);
    await panel.getByRole('textbox', { name: 'System prompt' }).fill('Answer like a pirate.');
    // A temperature out of range is said next to the fields, and nothing is saved.
    await panel.getByRole('spinbutton', { name: 'Temperature' }).fill('7');
    await panel.getByRole('button', { name: 'Save chat settings' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toContain('Temperature is a number from 0 to 2');
    await panel.getByRole('spinbutton', { name: 'Temperature' }).fill('0.7');
    await panel.getByRole('spinbutton', { name: 'Max reply length (tokens)' }).fill('200');
    await panel.getByRole('button', { name: 'Save chat settings' }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toBe('Saved for this chat.');
    await panel.getByRole('textbox', { name: 'Preset name' }).fill('Pirate');
    await panel.getByRole('button', { name: 'Save as preset' }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toContain('Preset “Pirate” saved');
    await panel.getByRole('textbox', { name: 'Prompt name' }).fill('Summarise');
    await panel.getByRole('textbox', { name: 'Prompt text' }).fill('Summarise the text below in three bullet points:');
    await panel.getByRole('button', { name: 'Save prompt' }).click();
    await expect.poll(() => panel.getByRole('listitem').count()).toBe(1);
    for (const size of [{ width: 1280, height: 800 }, { width: 800, height: 600 }]) {
      await page.setViewportSize(size);
      await page.screenshot({ path: screenshotPath(`chat-actions-settings-${size.width}x${size.height}`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await panel.getByRole('button', { name: 'Close' }).click();

    // Saved with the chat when its first message goes, and sent with every reply.
    await sendAndWait('Hello there');
    const body = ollama.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { model: string; messages: { role: string; content: string }[]; options?: { temperature?: number; num_predict?: number } };
    expect(body.model).toBe('llama3.2:3b');
    expect(body.messages[0]).toEqual({ role: 'system', content: 'Answer like a pirate.' });
    expect(body.options).toMatchObject({ temperature: 0.7, num_predict: 200 });
    expect(h.harness.app.services.conversations.list()[0]).toMatchObject({ model: LLAMA, chatSettings: { systemPrompt: 'Answer like a pirate.', temperature: 0.7, maxTokens: 200 } });

    // "/" lists the prompt library; arrows and Enter insert one.
    await composer().fill('/sum');
    const list = page.getByRole('listbox', { name: 'Saved prompts' });
    await expect.poll(() => list.getByRole('option').allTextContents()).toEqual(['Summarise Summarise the text below in three bullet points:']);
    await page.screenshot({ path: screenshotPath('chat-actions-prompt-library') });
    await composer().press('ArrowDown');
    await expect.poll(() => list.getByRole('option').first().getAttribute('aria-selected')).toBe('true');
    await composer().press('Enter');
    await expect.poll(() => composer().inputValue()).toBe('Summarise the text below in three bullet points:');
    await expect.poll(() => list.count()).toBe(0);
    await composer().fill('');

    // A new chat from the preset: its model and settings, without retyping them.
    await openNewChat(page);
    await expect.poll(() => picker().inputValue()).toBe('switchboard/auto');
    await page.getByRole('combobox', { name: 'Start from a preset' }).selectOption({ label: 'Pirate' });
    await expect.poll(() => picker().inputValue()).toBe(LLAMA);
    await sendAndWait('Ahoy');
    const again = ollama.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { messages: { role: string; content: string }[]; options?: { temperature?: number } };
    expect(again.messages[0]).toEqual({ role: 'system', content: 'Answer like a pirate.' });
    expect(again.options?.temperature).toBe(0.7);

    // The user's default for new chats is set from the panel; a new chat starts from it.
    await page.getByRole('button', { name: 'Chat settings', exact: true }).click();
    await page.getByRole('region', { name: 'Chat settings' }).getByRole('button', { name: 'Set as default' }).click();
    await expect.poll(() => h.harness.app.services.settings.get().defaultModel).toBe(LLAMA);
    await page.getByRole('region', { name: 'Chat settings' }).getByRole('button', { name: 'Close' }).click();
    await openNewChat(page);
    await expect.poll(() => picker().inputValue()).toBe(LLAMA);
    h.harness.app.services.settings.update({ defaultModel: null });
  });

  it('looks right at 800×600', async () => {
    await titles().filter({ hasText: 'Print hi in Python' }).click();
    await expect.poll(() => replies().count()).toBeGreaterThan(0);
    await page.setViewportSize({ width: 800, height: 600 });
    await replies().last().hover();
    await page.screenshot({ path: screenshotPath('chat-actions-800x600') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await replies().last().hover();
    await page.screenshot({ path: screenshotPath('chat-actions-1280x800') });
  });
});
