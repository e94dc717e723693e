// The Council and Task graph pages in Chromium against the headless server and a fake Ollama;
// their cost estimates and the budget's stop against the OpenAI-compatible fake as OpenRouter.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { launchChromium, screenshotPath } from '../helpers/browser';
import { startHeadless, type HeadlessHarness } from '../helpers/headless-harness';

let ollama: FakeOllama;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;

type Req = { model: string; messages: Array<{ role: string; content: string }>; format?: unknown };
const schemaOf = (req: Req) => req.format as { properties?: Record<string, unknown> } | undefined;

/** A member whose answer has `quality` stars; it ranks others by their stars and chairs with a summary. */
function member(quality: number, answer: string) {
  return (req: Req): string => {
    if (schemaOf(req)?.properties?.verdict) {
      return JSON.stringify(quality > 1 ? { verdict: 'approve', reason: 'The change is small and tested.' } : { verdict: 'reject', reason: 'It has no migration for old data.' });
    }
    if (schemaOf(req)?.properties?.ranking) {
      const prompt = req.messages.find((m) => m.role === 'user')?.content ?? '';
      const shown = [...prompt.matchAll(/### Answer ([A-Z]+)\n[^\n]*\((\d) stars\)/g)].map((m) => ({ label: m[1], q: Number(m[2]) }));
      return JSON.stringify({ ranking: shown.sort((a, b) => b.q - a.q).map((s) => s.label), reasons: 'More complete answers first.' });
    }
    if (req.messages[0]?.content.startsWith('You chair')) {
      return '**Insertion sort** is the best choice for nearly sorted data: it runs in close to O(n) time when few elements are out of place.\n\n- Timsort (Python, Java) exploits the same property on real data.\n- Avoid quicksort with a naive pivot: nearly sorted input is its worst case.';
    }
    return `${answer} (${quality} stars)`;
  };
}

const PLAN = {
  goal: 'A one-page guide to brewing green tea',
  tasks: [
    { id: 'water', title: 'Water temperature', instructions: 'Explain the right water temperature for green tea.', kind: 'research', complexity: 'simple', dependsOn: [] },
    { id: 'leaves', title: 'Amount of leaves', instructions: 'Say how much tea to use per cup.', kind: 'research', complexity: 'simple', dependsOn: [] },
    { id: 'steep', title: 'Steeping time', instructions: 'Explain how long to steep, given the temperature.', kind: 'docs', complexity: 'simple', dependsOn: ['water'] },
    { id: 'guide', title: 'Write the guide', instructions: 'Write the step-by-step guide from the findings.', kind: 'docs', complexity: 'medium', dependsOn: ['steep', 'leaves'] },
  ],
};
const taskOf = (req: Req): string => /Your task \(([^,]+),/.exec(req.messages[1]?.content ?? '')?.[1] ?? '?';
const OUTPUTS: Record<string, string> = {
  water: 'Use water at **70–80 °C**; boiling water scorches the leaves and makes the tea bitter.',
  leaves: 'About **2 g** (one teaspoon) of leaves per 200 ml cup.',
  steep: 'Steep for **1–2 minutes** at that temperature; taste and extend by 30 s if too light.',
  guide: '1. Heat water to 75 °C.\n2. Put 2 g of leaves in the pot.\n3. Steep 90 seconds.\n4. Pour and enjoy.',
};

beforeAll(async () => {
  // /api/tags lists the newest first: exec:1b, added last, is the router's first local executor.
  ollama = await startFakeOllama({
    models: [
      { name: 'boss:70b', parameterSize: '70B' },
      { name: 'slow:7b', parameterSize: '7B' },
      { name: 'llama3.2:3b', parameterSize: '3.2B' },
      { name: 'qwen2.5:3b', parameterSize: '3.1B' },
      { name: 'phi3:mini', parameterSize: '3.8B' },
      { name: 'exec:1b', parameterSize: '1B' },
    ],
  });
  ollama.setBehavior('llama3.2:3b', { reply: member(2, 'Insertion sort: nearly linear on nearly sorted input.'), firstTokenDelayMs: 200, tokenDelayMs: 25 });
  ollama.setBehavior('qwen2.5:3b', { reply: member(3, 'Insertion sort, or Timsort which detects sorted runs; both are adaptive.'), firstTokenDelayMs: 500, tokenDelayMs: 25 });
  ollama.setBehavior('phi3:mini', { reply: member(1, 'Bubble sort with an early exit.'), firstTokenDelayMs: 100, tokenDelayMs: 25 });
  ollama.setBehavior('slow:7b', { reply: member(3, 'A very slow answer.'), firstTokenDelayMs: 60_000 });
  ollama.setBehavior('boss:70b', { reply: (req) => (schemaOf(req)?.properties?.tasks ? JSON.stringify(PLAN) : '# Brewing green tea\n\nHeat water to **75 °C**, use 2 g of leaves per cup and steep for 90 seconds.'), tokenDelayMs: 5 });
  ollama.setBehavior('exec:1b', { reply: (req) => OUTPUTS[taskOf(req)] ?? 'done', firstTokenDelayMs: 700, tokenDelayMs: 30 });
  h = await startHeadless({ ollamaUrl: ollama.url });
  h.harness.app.services.settings.update({ setupCompleted: true, router: { rungs: { local: ['ollama/exec:1b'] } } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await ollama?.close();
});

describe('council in the browser', () => {
  it('runs a council: live columns, the straggler cut off, rankings and the streamed synthesis', async () => {
    await page.goto(`${h.server.openUrl}#/council`);
    await page.getByRole('textbox', { name: 'Question' }).fill('Which sorting algorithm is best for nearly sorted data?');
    for (const m of ['ollama/slow:7b', 'ollama/phi3:mini', 'ollama/llama3.2:3b', 'ollama/qwen2.5:3b']) await page.getByRole('checkbox', { name: m }).check();
    await expect.poll(() => page.getByRole('spinbutton', { name: 'Min responses' }).inputValue()).toBe('3');
    // Issue #10: the estimate beside Start; four local models cost nothing.
    await expect.poll(() => page.getByRole('status', { name: 'Cost estimate' }).textContent()).toBe('Free: runs on local/free models');
    await page.screenshot({ path: screenshotPath('council-form') });
    await page.getByRole('button', { name: 'Ask the council' }).click();

    const column = (m: string) => page.getByRole('region', { name: `Answer from ollama/${m}` });
    // Its stream lasts ~0.2 s: a slow poll may first see it answered.
    await expect.poll(() => column('llama3.2:3b').getAttribute('data-status')).toMatch(/^(streaming|answered)$/);
    await page.screenshot({ path: screenshotPath('council-streaming') });
    await expect.poll(() => column('slow:7b').getAttribute('data-status')).toBe('cut-off');
    for (const m of ['phi3:mini', 'llama3.2:3b', 'qwen2.5:3b']) expect(await column(m).getAttribute('data-status')).toBe('answered');
    await expect.poll(() => page.getByRole('note').textContent()).toContain('ollama/slow:7b');
    expect(await column('slow:7b').textContent()).toContain('Cut off');
    await expect.poll(() => ollama.abortedRequests().some((r) => r.model === 'slow:7b')).toBe(true);

    const run = page.getByLabel('Council run');
    await expect.poll(() => run.getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');
    const rankings = page.getByRole('region', { name: 'Rankings' });
    await expect.poll(() => rankings.locator('tbody tr td.mono').allTextContents()).toEqual(['ollama/qwen2.5:3b', 'ollama/llama3.2:3b', 'ollama/phi3:mini']);
    expect(await rankings.locator('.reviews li').count()).toBe(3);
    const synthesis = page.getByRole('region', { name: 'Synthesis' });
    expect(await synthesis.locator('strong').first().textContent()).toBe('Insertion sort');
    expect(await synthesis.textContent()).toContain('ollama/qwen2.5:3b'); // the top-ranked author chairs
    await page.screenshot({ path: screenshotPath('council-done') });
    await page.setViewportSize({ width: 1440, height: 2000 });
    await run.screenshot({ path: screenshotPath('council-done-run') });
    await page.setViewportSize({ width: 1440, height: 1000 });

    // The run is in the history, and comes back from it after a reload.
    await page.reload();
    const history = page.getByRole('complementary', { name: 'Council history' });
    await history.getByRole('button', { name: /^Which sorting algorithm/ }).click();
    await expect.poll(() => page.getByLabel('Council run').getAttribute('data-status')).toBe('completed');
    expect(await page.getByRole('region', { name: 'Answer from ollama/slow:7b' }).getAttribute('data-status')).toBe('cut-off');
  });
});

describe('council vote in the browser', () => {
  it('shows the verdict, the tally and the dissenting reason', async () => {
    await page.goto(`${h.server.openUrl}#/council`);
    await page.getByRole('textbox', { name: 'Question' }).fill('Should we merge this pull request?');
    for (const m of ['ollama/phi3:mini', 'ollama/llama3.2:3b', 'ollama/qwen2.5:3b']) await page.getByRole('checkbox', { name: m }).check();
    await page.getByRole('spinbutton', { name: 'Min responses' }).fill('3');
    await page.getByRole('radio', { name: 'Consensus vote' }).check();
    await page.getByRole('button', { name: 'Ask the council' }).click();
    const verdict = page.getByRole('region', { name: 'Verdict' });
    await expect.poll(() => verdict.textContent()).toContain('Majority');
    expect(await verdict.textContent()).toContain('ollama/phi3:mini voted reject: It has no migration for old data.');
    expect(await page.getByRole('region', { name: 'Answer from ollama/qwen2.5:3b' }).textContent()).toContain('The change is small and tested.');
    await page.getByLabel('Council run').screenshot({ path: screenshotPath('council-vote') });
  });
});

describe('task graphs in the browser', () => {
  it('plans, shows validation errors for a bad edit, runs the DAG with live states, and shows a node\'s output', async () => {
    await page.goto(`${h.server.openUrl}#/tasks`);
    await expect.poll(() => page.getByRole('combobox', { name: 'Planning model' }).locator('option').first().textContent()).toContain('ollama/boss:70b');
    await page.getByRole('textbox', { name: 'Request' }).fill('Write me a short guide to brewing green tea');
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    const plan = page.getByRole('region', { name: 'Plan' });
    await expect.poll(() => plan.getByRole('listitem', { name: /Planned task/ }).count()).toBe(4);
    await expect.poll(() => plan.textContent()).toContain('The plan is valid: 4 tasks.');
    await page.screenshot({ path: screenshotPath('tasks-plan') });

    // A bad edit in the JSON: the run is refused with the reason; undoing it makes the plan valid again.
    await plan.getByRole('tab', { name: 'JSON' }).click();
    const json = plan.getByRole('textbox', { name: 'Plan JSON' });
    const good = await json.inputValue();
    await json.fill(good.replace('"dependsOn": [\n        "water"\n      ]', '"dependsOn": [\n        "guide"\n      ]'));
    await expect.poll(() => plan.getByRole('alert', { name: 'Plan problems' }).textContent()).toContain('cycle: steep → guide → steep');
    expect(await plan.getByRole('button', { name: 'Run' }).isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('tasks-plan-invalid') });
    await json.fill(good);
    await expect.poll(() => plan.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);
    await plan.getByRole('button', { name: 'Run' }).click();

    const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"] .task-node`);
    await expect.poll(() => node('water').getAttribute('data-status')).toMatch(/^(running|done)$/);
    // Guide needs water (through steep): read guide first, then water; if water has still not
    // finished, guide was waiting when it was read.
    const guide = await node('guide').getAttribute('data-status');
    const water = await node('water').getAttribute('data-status');
    expect(water === 'done' || guide === 'pending').toBe(true);
    await page.screenshot({ path: screenshotPath('tasks-running') });
    await expect.poll(() => node('guide').getAttribute('data-status'), { timeout: 20_000 }).toMatch(/^(running|done)$/);
    await expect.poll(() => page.getByLabel('Task graph run').getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    for (const id of ['water', 'leaves', 'steep', 'guide']) expect(await node(id).getAttribute('data-status')).toBe('done');
    // Every dependency is drawn after all the status updates (React Flow used to drop edges on a re-measure race).
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);
    await expect.poll(() => page.locator('.react-flow__edge.critical-edge').count()).toBe(2);

    await node('steep').click();
    const details = page.getByRole('region', { name: 'Task steep details' });
    await expect.poll(() => details.getByLabel('Task output').textContent()).toContain('Steep for 1–2 minutes');
    expect(await details.textContent()).toContain('ollama/exec:1b');
    expect(await details.textContent()).toContain('Chosen by the router');
    const answer = page.getByRole('region', { name: 'Final answer' });
    await expect.poll(() => answer.textContent()).toContain('Heat water to 75 °C');
    expect(await page.getByRole('region', { name: 'Graph metrics' }).textContent()).toMatch(/Critical path: water → steep → guide/);
    await page.screenshot({ path: screenshotPath('tasks-done') });
    await page.setViewportSize({ width: 1440, height: 2200 });
    await page.getByLabel('Task graph run').screenshot({ path: screenshotPath('tasks-done-run') });
    await page.setViewportSize({ width: 1440, height: 1000 });
  });
});

describe('cost estimates and the budget stop in the browser', () => {
  const SONNET = 'openrouter/anthropic/claude-sonnet-5.5';
  const KEY = 'sk-or-e2e-123456';
  let openrouter: FakeOpenAI;
  let paid: HeadlessHarness;
  let cloudPage: Page;

  /** One paid call of `usd` in today's log, as if a chat had made it. */
  const spend = (usd: number): void => {
    const now = Date.now();
    paid.harness.app.services.calls.record({
      messageId: null, modelId: SONNET, provider: 'openrouter', tier: 'paid', startedAt: now, firstTokenAt: now, endedAt: now, status: 'ok', errorCode: null,
      inputTokens: 10_000, outputTokens: 10_000, cachedInputTokens: 0, cacheWriteTokens: 0, costUsd: usd, estimated: false, attempt: 1, fallbackFrom: null, purpose: 'chat',
    });
  };
  /** The viewport at a size a laptop (1280×800) or a small window (800×600) has, with `target` scrolled to its middle. */
  const shoot = async (name: string, target: Locator): Promise<void> => {
    for (const [width, height] of [[1280, 800], [800, 600]] as const) {
      await cloudPage.setViewportSize({ width, height });
      await target.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await cloudPage.screenshot({ path: screenshotPath(`${name}-${width}x${height}`) });
    }
    await cloudPage.setViewportSize({ width: 1440, height: 1000 });
  };

  beforeAll(async () => {
    const catalog = (JSON.parse(fs.readFileSync(path.resolve('resources/cloud-models.json'), 'utf8')) as { models: Array<{ id: string; provider: string }> }).models;
    openrouter = await startFakeOpenAI({ models: catalog.filter((m) => m.provider === 'openrouter').map((m) => m.id.slice('openrouter/'.length)), apiKey: KEY });
    paid = await startHeadless({ ollamaUrl: ollama.url, env: { OPENROUTER_BASE_URL: `${openrouter.url}/v1`, OPENROUTER_API_KEY: KEY } });
    paid.harness.app.services.settings.update({
      setupCompleted: true,
      router: { cost: { dailyBudgetUsd: 0.15, warnThresholdUsd: 0.1, stopThresholdUsd: 0.2 }, rungs: { local: ['ollama/exec:1b'] } },
    });
    // Its own context: the two servers share 127.0.0.1, and cookies ignore the port.
    cloudPage = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
  });
  afterAll(async () => {
    await cloudPage?.context().close();
    await paid?.close();
    await openrouter?.close();
  });

  it('shows what a council with a paid model costs, the budget warning, and at the stop refuses to start it, saying why', async () => {
    await cloudPage.goto(`${paid.server.openUrl}#/council`);
    await cloudPage.getByRole('textbox', { name: 'Question' }).fill('Which database for a small analytics app?');
    for (const m of ['ollama/phi3:mini', 'ollama/qwen2.5:3b', SONNET]) await cloudPage.getByRole('checkbox', { name: m }).check();
    const estimate = cloudPage.getByRole('status', { name: 'Cost estimate' });
    const start = cloudPage.getByRole('button', { name: 'Ask the council' });
    await expect.poll(() => estimate.textContent()).toMatch(/^Estimated cost ~\$0\.\d+ \(at most \$0\.\d+\)$/);
    await cloudPage.getByText(/^Breakdown \(7 calls\)$/).click();
    const breakdown = cloudPage.getByRole('table', { name: 'Cost breakdown' });
    await expect.poll(() => breakdown.getByRole('row').count()).toBe(8);
    const synthesis = breakdown.getByRole('row').last();
    expect(await synthesis.getByRole('cell').allTextContents()).toEqual(['Synthesis', SONNET, 'Paid cloud', expect.stringMatching(/^\$0\.\d+$/), expect.stringMatching(/^\$0\.\d+$/)]);
    expect(await start.isEnabled()).toBe(true);
    await shoot('council-estimate-paid', breakdown);

    // Past the warning: the budget's message shows beside the estimate (asked again when the chairman changes).
    spend(0.12);
    await cloudPage.getByRole('combobox', { name: 'Chairman' }).selectOption(SONNET);
    await expect.poll(() => cloudPage.locator('.cost-budget-note').textContent()).toMatch(/passed the warning threshold \$0\.10/);

    // At the stop: the refusal says why and what to do, and Start is disabled, pointing at it.
    spend(0.25);
    await cloudPage.getByRole('combobox', { name: 'Chairman' }).selectOption('');
    const refusal = cloudPage.getByRole('alert').filter({ hasText: 'Cannot start' });
    await expect.poll(() => refusal.textContent()).toMatch(/reached the stop threshold \$0\.20\..*is a paid model.*Settings → Routing → Budget/);
    expect(await refusal.textContent()).toContain(`Needs a paid model: Answer, Review, Synthesis on ${SONNET}`);
    expect(await start.isDisabled()).toBe(true);
    const describedBy = await start.getAttribute('aria-describedby');
    expect(describedBy).toBeTruthy();
    expect(await cloudPage.locator(`[id="${describedBy}"]`).textContent()).toContain('stop threshold');
    await shoot('council-refusal', refusal);

    // Local models only: free, allowed, and the stop is still said.
    await cloudPage.getByRole('checkbox', { name: SONNET }).uncheck();
    await expect.poll(() => estimate.textContent()).toBe('Free: runs on local/free models');
    await expect.poll(() => start.isEnabled()).toBe(true);
    expect(await start.getAttribute('aria-describedby')).toBeNull();
    expect(await cloudPage.locator('.cost-budget-note').textContent()).toMatch(/reached the stop threshold \$0\.20\. No paid call can start; this run needs none\./);
    await shoot('council-free-at-stop', estimate);
    expect(openrouter.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
  });

  it("shows a graph's cost before Run: a paid synthesis at the stop is the reason Run is disabled; a free graph runs", async () => {
    const { settings } = paid.harness.app.services;
    const limits = (stopThresholdUsd: number) =>
      settings.update({ router: { ...settings.get().router, cost: { dailyBudgetUsd: stopThresholdUsd * 0.75, warnThresholdUsd: stopThresholdUsd / 2, stopThresholdUsd } } });
    // With room in the budget a hand-written plan is answered by the strongest model available, a paid
    // one here: Run stores the graph and waits, showing what it would cost.
    limits(10);
    await cloudPage.goto(`${paid.server.openUrl}#/tasks`);
    await cloudPage.getByRole('button', { name: 'Write a plan by hand' }).click();
    const plan = cloudPage.getByRole('region', { name: 'Plan' });
    await expect.poll(() => plan.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);
    await plan.getByRole('button', { name: 'Run' }).click();
    const cost = cloudPage.getByRole('region', { name: 'Cost to run' });
    const run = cost.getByRole('button', { name: 'Run' });
    const estimate = cost.getByRole('status', { name: 'Cost estimate' });
    await expect.poll(() => estimate.textContent()).toMatch(/^Estimated cost ~\$0\.\d+ \(at most \$0\.\d+\)$/);
    expect(await run.isEnabled()).toBe(true);
    expect(await cloudPage.getByLabel('Task graph run').getAttribute('data-status')).toBe('pending');
    await cost.getByText(/^Breakdown \(4 calls\)$/).click();
    expect(await cost.getByRole('table', { name: 'Cost breakdown' }).getByRole('row').last().textContent()).toMatch(/^Synthesisopenrouter\/.*Paid cloud/);
    await shoot('tasks-estimate-paid', cost);
    const history = cloudPage.getByRole('complementary', { name: 'Task graph history' });
    const handWritten = history.getByRole('button', { name: /^Describe what the answer should achieve/ });
    await expect.poll(() => handWritten.count()).toBe(1);

    // At the stop the same graph cannot run: its paid synthesis is named as the reason, and Run points at it.
    limits(0.2);
    spend(0.25);
    await cloudPage.reload();
    await handWritten.click();
    const refusal = cost.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toMatch(/Needs a paid model: Synthesis on openrouter\//);
    expect(await refusal.textContent()).toMatch(/stop threshold/);
    expect(await run.isDisabled()).toBe(true);
    expect(await run.getAttribute('aria-describedby')).toBe(await refusal.getAttribute('id'));
    // Only the writer of the final answer is paid: the refusal points at "Final answer by", which shows it.
    const writer = cost.getByRole('combobox', { name: 'Final answer by' });
    expect(await writer.inputValue()).toMatch(/^openrouter\//);
    expect(await refusal.textContent()).toContain('pick a local model under “Final answer by”');
    await shoot('tasks-refusal', refusal);
    expect(await cloudPage.getByLabel('Task graph run').getAttribute('data-status')).toBe('pending');

    // A local writer: the estimate is asked again for it, the refusal goes, and Run runs the graph on local models only.
    const paidCalls = () => openrouter.requests.filter((r) => r.path === '/v1/chat/completions').length;
    await writer.selectOption('ollama/boss:70b');
    await expect.poll(() => estimate.textContent()).toBe('Free: runs on local/free models');
    await expect.poll(() => refusal.count()).toBe(0);
    await expect.poll(() => run.isEnabled()).toBe(true);
    expect(await run.getAttribute('aria-describedby')).toBeNull();
    expect(await cost.locator('.cost-budget-note').textContent()).toMatch(/stop threshold \$0\.20\. No paid call can start; this run needs none\./);
    await shoot('tasks-writer-local', cost);
    await run.click();
    await expect.poll(() => cloudPage.getByLabel('Task graph run').getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    const answer = cloudPage.getByRole('region', { name: 'Final answer' });
    await expect.poll(() => answer.textContent()).toContain('Heat water to 75 °C');
    expect(await answer.textContent()).toContain('written by ollama/boss:70b');
    expect(paidCalls()).toBe(0);

    // A finished graph whose answer a paid model would write again: Re-run is blocked at the stop until
    // "Final answer by" names a local writer; the re-run then sends it along.
    const doneId = (await paid.harness.app.call('tasks.list', {})).find((g) => g.status === 'done')!.id;
    paid.harness.app.services.tasks.repo.updateGraph(doneId, { synthesisModel: SONNET });
    await cloudPage.reload();
    await handWritten.click();
    await expect.poll(() => refusal.textContent()).toMatch(/Needs a paid model: Synthesis on openrouter\//);
    expect(await refusal.textContent()).toContain('To re-run it now, pick a local model under “Final answer by”');
    await cloudPage.locator('.react-flow__node .task-node').first().click();
    const details = cloudPage.getByRole('region', { name: /^Task .+ details$/ });
    const rerun = details.getByRole('button', { name: 'Re-run', exact: true });
    await expect.poll(() => rerun.isDisabled()).toBe(true);
    await shoot('tasks-rerun-refusal', cost);
    await writer.selectOption('ollama/boss:70b');
    await expect.poll(() => refusal.count()).toBe(0);
    await expect.poll(() => rerun.isEnabled()).toBe(true);
    await rerun.click();
    await expect.poll(() => paid.harness.app.services.tasks.repo.get(doneId)?.synthesisModel).toBe('ollama/boss:70b');
    await expect.poll(() => cloudPage.getByLabel('Task graph run').getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    expect(paidCalls()).toBe(0);

    // A plan answered by a local model: free, and Run runs it.
    await paid.harness.app.call('tasks.create', { request: 'Write me a short guide to brewing green tea', plan: { ...PLAN, goal: 'Green tea, all local' }, synthesisModel: 'ollama/boss:70b' });
    await cloudPage.reload();
    await history.getByRole('button', { name: /^Green tea, all local/ }).click();
    await expect.poll(() => cost.getByRole('status', { name: 'Cost estimate' }).textContent()).toBe('Free: runs on local/free models');
    await expect.poll(() => run.isEnabled()).toBe(true);
    await run.click();
    await expect.poll(() => cloudPage.getByLabel('Task graph run').getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    expect(await cost.count()).toBe(0);
    expect(openrouter.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
  }, 90_000); // three graphs run end to end in the browser
});
