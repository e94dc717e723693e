// The Council and Task graph pages in Chromium against the headless server and a fake Ollama.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
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
