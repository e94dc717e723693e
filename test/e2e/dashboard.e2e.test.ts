import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { launchChromium, openNewChat, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';
import { lengthRulesRouterConfig } from '../helpers/app-harness';

const LOCAL = 'ollama/qwen2.5-coder:7b';
const GROQ = 'groq/llama-3.3-70b-versatile';
const GROQ_REPLY = 'Groq says: Paris is the capital of France, on the Seine.';

let ollama: FakeOllama;
let groq: FakeOpenAI;
let deepseek: FakeOpenAI;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'qwen2.5-coder:7b', family: 'qwen2', parameterSize: '7.6B', sizeBytes: 4_683_087_332 }] });
  groq = await startFakeOpenAI({ models: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'], apiKey: 'gsk_dashboard_e2e_1234' });
  deepseek = await startFakeOpenAI({ models: ['deepseek-chat'], apiKey: 'sk-deepseek-dashboard-1234' });
  h = await startHeadless({
    ollamaUrl: ollama.url,
    env: {
      GROQ_API_KEY: 'gsk_dashboard_e2e_1234',
      GROQ_BASE_URL: `${groq.url}/v1`,
      DEEPSEEK_API_KEY: 'sk-deepseek-dashboard-1234',
      DEEPSEEK_BASE_URL: `${deepseek.url}/v1`,
      // Written for seed 002's length rules: the difficulty dial (issue #11) is off here.
      SWITCHBOARD_ROUTER_CONFIG: lengthRulesRouterConfig(),
    },
  });
  const app = h.harness.app;
  app.services.settings.update({ setupCompleted: true });
  // Budgets small enough that one paid reply passes the warning.
  await app.call('routing.updateConfig', { patch: { cost: { warnThresholdUsd: 0.4, dailyBudgetUsd: 1, stopThresholdUsd: 2 } } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
  await Promise.all([ollama?.close(), groq?.close(), deepseek?.close()]);
});

const replies = () => page.getByRole('article', { name: 'Assistant message' });

async function send(text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

describe('routing in the browser', () => {
  it('routes chats, shows escalations and why, charts them on the Dashboard, and logs offline refusals', async () => {
    await page.goto(h.server.openUrl);
    const picker = page.getByRole('combobox', { name: 'Model' });
    await expect.poll(() => picker.inputValue()).toBe('switchboard/auto');
    await expect.poll(() => picker.locator('option').allTextContents()).toEqual(expect.arrayContaining(['Auto — cheapest capable model', 'Local only — stays on this computer', 'ollama/qwen2.5-coder:7b · 7.6B · 4.7 GB', GROQ]));

    // 1. A simple question: the local model answers.
    ollama.setBehavior('qwen2.5-coder:7b', { reply: 'Paris.' });
    await send('What is the capital of France?');
    await expect.poll(() => replies().last().getAttribute('data-status')).toBe('complete');
    await expect.poll(() => replies().last().locator('.message-meta').textContent()).toMatch(/^ollama\/qwen2\.5-coder:7b · Local · \$0 · /);

    // 2. The local model refuses; the reply escalates to Groq, live.
    ollama.setBehavior('qwen2.5-coder:7b', { reply: "I can't help with that." });
    groq.setBehavior('llama-3.3-70b-versatile', { reply: GROQ_REPLY, tokenDelayMs: 120 });
    await send('What is the capital of Italy?');
    const escalated = replies().last();
    await expect.poll(() => escalated.locator('.escalation').textContent()).toMatch(/Escalated from ollama\/qwen2\.5-coder:7b: the model refused the request → groq\/llama-3\.3-70b-versatile/);
    // Groq streams for ~1 s; a slow poll may first see the reply complete.
    await expect.poll(() => escalated.getAttribute('data-status')).toMatch(/^(streaming|complete)$/);
    // The rejected draft is replaced, not continued.
    await expect.poll(() => escalated.locator('.markdown').textContent()).toMatch(/^Groq says/);
    await page.screenshot({ path: screenshotPath('routing-escalating') });
    await expect.poll(() => escalated.getAttribute('data-status'), { timeout: 10_000 }).toBe('complete');
    expect(await escalated.locator('.markdown').textContent()).toBe(GROQ_REPLY);
    expect(await escalated.locator('.message-meta').textContent()).toMatch(/^groq\/llama-3\.3-70b-versatile · Free cloud · \$0 · /);

    // 3. Why this model? The record: candidates with reasons, gates per attempt.
    await escalated.getByRole('button', { name: 'Why this model?' }).click();
    const panel = page.getByRole('dialog', { name: 'Why this model?' });
    await expect.poll(() => panel.getByRole('listitem', { name: `${GROQ}: chosen` }).textContent()).toContain('chosen — free tier');
    expect(await panel.getByRole('listitem', { name: `${LOCAL}: tried` }).textContent()).toContain('tried, rejected: the model refused the request');
    // Issue #13: the context the local model ran with (num_ctx) is shown beside it.
    expect(await panel.getByRole('listitem', { name: `${LOCAL}: tried` }).textContent()).toMatch(/ · context \d+K tokens$/);
    expect(await panel.getByRole('listitem', { name: 'openrouter/deepseek/deepseek-chat: skipped' }).textContent()).toContain('skipped — no API key for openrouter');
    expect(await panel.getByRole('list', { name: 'Quality gates of attempt 1' }).textContent()).toContain('✗ refusal: the model refused the request');
    expect(await panel.getByRole('list', { name: 'Quality gates of attempt 2' }).textContent()).toContain('✓ refusal');
    expect(await panel.textContent()).toContain('Task question: local, groq, deepseek.');
    await page.screenshot({ path: screenshotPath('routing-why-this-model') });
    await panel.getByRole('button', { name: 'Close' }).click();

    // 4. A paid model chosen by hand: cost shows, and the budget warning appears.
    deepseek.setBehavior('deepseek-chat', { reply: 'A paid answer.', usage: { promptTokens: 1_000_000, completionTokens: 200_000 } });
    await openNewChat(page);
    await picker.selectOption('deepseek/deepseek-chat');
    await send('Summarise our plan in one line');
    await expect.poll(() => replies().last().getAttribute('data-status'), { timeout: 10_000 }).toBe('complete');
    expect(await replies().last().locator('.message-meta').textContent()).toMatch(/^deepseek\/deepseek-chat · Paid cloud · \$0\.490 · /);
    await expect.poll(() => page.getByRole('status').filter({ hasText: '$0.49 of $1.00 today' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('routing-budget-warning') });

    // 5. The Dashboard: every chart names its numbers.
    await page.getByRole('button', { name: 'Dashboard', exact: true }).click();
    const chart = (name: RegExp) => page.getByRole('img', { name });
    await expect.poll(() => chart(/^Requests per tier/).getAttribute('aria-labelledby')).toBeTruthy();
    const named = async (name: RegExp) => (await chart(name).evaluate((svg) => svg.querySelector('desc')?.textContent ?? '')) as string;
    expect(await named(/^Requests per tier/)).toBe('3 answered requests: Local 1 (33%), Free cloud 1 (33%), Paid cloud 1 (33%).');
    expect(await named(/^Escalation rate/)).toBe('1 of 3 requests escalated (33%), 1 escalation in all.');
    expect(await named(/^Spend against budget/)).toMatch(/^Today: \$0\.49 of \$1\.00 \(past the warning; warn at \$0\.40, stop at \$2\.00\)/);
    expect(await named(/^Latency per model/)).toMatch(new RegExp(`deepseek/deepseek-chat \\(1 calls\\).*${GROQ} \\(1 calls\\).*${LOCAL} \\(2 calls\\)`));
    expect(await named(/^Failures by type/)).toBe('Rejected by gate: refusal 1');
    expect(await named(/^Cost against the reference model/)).toMatch(/^Actual cost \$0\.490; the same 4 calls on anthropic\/claude-sonnet-5-5 would cost \$\d+\.\d\d\./);
    expect(await page.getByRole('region', { name: /^Savings/ }).textContent()).toMatch(/\$\d+\.\d\d saved \(\d+% less\)/);
    expect(await page.locator('svg.chart text').allTextContents()).toEqual(expect.arrayContaining(['Local', 'Free cloud', 'Paid cloud', LOCAL, 'p99']));
    await page.screenshot({ path: screenshotPath('routing-dashboard') });
    await page.getByRole('region', { name: 'Spend per day' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('routing-dashboard-daily') });

    // Cost by purpose: the chat replies (two local, one paid) and the cascade's escalation to Groq.
    const byPurpose = page.getByRole('table', { name: 'Cost by purpose' });
    const purposeRow = (name: RegExp) => byPurpose.getByRole('row', { name });
    await expect.poll(() => byPurpose.getByRole('row').count()).toBe(3); // header + 2 purposes
    expect(await byPurpose.locator('tbody th').allTextContents()).toEqual(['Chat reply', 'Cascade escalation']);
    expect(await purposeRow(/^Chat reply/).locator('td').allTextContents()).toEqual(['3', expect.stringMatching(/ \/ /), expect.stringMatching(/^\$0\.490100%$/)]);
    expect(await purposeRow(/^Cascade escalation/).locator('td').allTextContents()).toEqual(['1', expect.stringMatching(/ \/ /), '$0']);
    expect(await page.getByRole('region', { name: 'Cost by purpose' }).textContent()).toContain('4 model calls · $0.490');
    for (const [width, height] of [[1280, 800], [800, 600]] as const) {
      await page.setViewportSize({ width, height });
      await page.getByRole('region', { name: 'Cost by purpose' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath(`dashboard-cost-by-purpose-${width}x${height}`) });
    }
    await page.setViewportSize({ width: 1360, height: 900 });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export metrics (JSON)' }).click()]);
    expect(download.suggestedFilename()).toBe('llm-performance.json');
    const entries = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
    expect(entries).toHaveLength(3);
    expect(entries[1]).toMatchObject({ models: [LOCAL, GROQ], verdict: 'ESCALATED_APPROVE' });

    // 6. Offline mode: the switch in Settings, a refused request in the outbound log.
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const offline = page.getByRole('switch', { name: 'Offline mode' });
    await offline.click();
    await expect.poll(() => offline.getAttribute('aria-checked')).toBe('true');
    expect(await page.getByRole('region', { name: 'Offline mode' }).textContent()).toContain('On — nothing leaves this computer.');
    await page.screenshot({ path: screenshotPath('routing-settings-offline-switch') });
    const log = page.getByRole('table').filter({ hasText: 'Purpose' });
    await expect.poll(() => log.getByRole('row').filter({ hasText: new URL(groq.url).host }).first().textContent()).toContain('Allowed');
    // Groq's key test against a non-loopback address: refused before any connection.
    await h.harness.app.call('providers.update', { id: 'groq', baseUrl: 'http://203.0.113.7/v1' });
    await page.getByRole('row', { name: 'Provider Groq' }).getByRole('button', { name: 'Test Groq' }).click();
    await expect.poll(() => log.getByRole('row').filter({ hasText: '203.0.113.7' }).first().textContent()).toMatch(/groqRefused.*offline mode/);
    await page.getByRole('heading', { name: 'Outbound connections' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('routing-settings-offline') });
    await page.getByRole('heading', { name: 'Routing' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('routing-settings-routing') });

    // 7. Back in chat, offline shows in the header and the composer, and cloud models are gone.
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await expect.poll(() => page.getByRole('switch', { name: 'Offline mode' }).textContent()).toBe('Offline');
    await expect.poll(() => picker.locator('option').allTextContents()).toContain('ollama/qwen2.5-coder:7b · 7.6B · 4.7 GB');
    await expect.poll(() => picker.locator('option').allTextContents()).not.toContain('deepseek/deepseek-chat');
    expect(await page.locator('.composer-offline').textContent()).toBe('Offline');
    await page.screenshot({ path: screenshotPath('routing-chat-offline') });
  }, 60_000);
});
