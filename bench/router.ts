// Decision time of the router's heuristic path: analyse + decide over 10,000 varied prompts built
// from templates with a seeded PRNG (the same prompts every run), across every availability state.
// Target (issue #5): p99 < 1 ms for analyse + decide. Then a simulated day (router-day.ts): 200
// seeded requests through the real router and providers against fakes, cost against all-premium.
// Run alone with `npx tsx bench/router.ts`.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { ChatMessage } from '../src/main/runner/chat-provider';
import { analyse, decide, type BudgetStatus, type RouteContext } from '../src/main/router';
import { testContext } from '../src/main/router/testing';
import { percentile } from '../src/main/runner';
import type { BenchResult } from './provider-overhead';
import { simulateDay } from './router-day';
import { seededRandom } from '../src/shared/random';

const PROMPTS = 10_000;
const WARMUP = 1_000;
const SEED = 0x5eed;
const TARGET_P99_MS = 1;


const OPENERS = [
  'Rename {id} to {id2} in {file}',
  'Fix the typo in {file}',
  'Refactor {thing} in {file} into smaller functions',
  'Why does {thing} throw TypeError: cannot read properties of undefined?',
  'Write unit tests for {thing}',
  'Add JSDoc documentation to {thing}',
  'Review {file} for problems',
  'Design the architecture for a scalable {thing} service',
  'Compare Postgres and SQLite for {thing}: pros and cons',
  'Summarize the discussion about {thing}',
  'Translate the error messages of {thing} into German',
  'Solve 3x + {n} = {n2} and explain',
  'Write a TypeScript function that validates {thing}',
  'What is the difference between {thing} and {id}?',
  'hi!',
  'hmm, {thing}',
];
const THINGS = ['the session store', 'the rate limiter', 'the login handler', 'the CSV parser', 'the payment webhook', 'the cache layer', 'the task graph', 'the settings page'];
const FILES = ['src/main/app.ts', 'src/server/auth.ts', 'package.json', 'lib/parser.py', 'cmd/main.go', 'README.md'];
const TAILS = ['', '', '', ' and return the result as JSON', ', then update the docs', ' and also add tests', ' for production', ' across the entire codebase'];
const CODE = '```ts\n' + Array.from({ length: 40 }, (_, i) => `export const value${i} = compute(${i}, "x");`).join('\n') + '\n```';

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function makePrompt(rand: () => number): ChatMessage[] {
  const fill = (s: string) =>
    s
      .replace(/\{thing\}/g, () => pick(rand, THINGS))
      .replace(/\{file\}/g, () => pick(rand, FILES))
      .replace(/\{id2?\}/g, () => `v${Math.floor(rand() * 1000)}`)
      .replace(/\{n2?\}/g, () => String(Math.floor(rand() * 100)));
  let text = fill(pick(rand, OPENERS)) + pick(rand, TAILS);
  if (rand() < 0.2) text += `\n${CODE}`;
  if (rand() < 0.1) text = `1. ${text}\n2. ${fill('Fix the typo in {file}')}\n3. ${fill('Write unit tests for {thing}')}`;
  const messages: ChatMessage[] = [{ role: 'system', content: 'You are Switchboard.' }];
  // A third of the prompts carry history, some of it long (up to ~150K tokens: the long-context rule).
  const history = rand() < 0.33 ? Math.floor(rand() * 12) : 0;
  for (let i = 0; i < history; i += 1) messages.push({ role: i % 2 ? 'assistant' : 'user', content: 'earlier turn '.repeat(rand() < 0.05 ? 40_000 : 50) });
  messages.push({ role: 'user', content: text });
  return messages;
}

const BUDGETS: BudgetStatus[] = [
  { level: 'ok', message: 'ok' },
  { level: 'warn', message: 'warn' },
  { level: 'over-budget', message: 'over' },
  { level: 'stopped', message: 'stopped' },
];

function makeContext(rand: () => number): RouteContext {
  const r = rand();
  return testContext({
    offline: r < 0.1,
    mode: r > 0.95 ? 'local-only' : r > 0.92 ? { model: 'anthropic/claude-sonnet-5-5' } : 'auto',
    budget: pick(rand, BUDGETS),
    hasKey: rand() < 0.2 ? (p) => p !== 'groq' : () => true,
    health: { isOpen: (id) => id === 'groq/llama-3.3-70b-versatile' && r < 0.3 },
    rateLimits: { isNearlyExhausted: (id) => id.startsWith('groq/') && r > 0.85 },
  });
}

const round = (ms: number | null) => (ms === null ? 0 : Number((ms * 1000).toFixed(1)));

export async function benchRouter(): Promise<BenchResult> {
  const rand = seededRandom(SEED);
  const cases = Array.from({ length: PROMPTS + WARMUP }, () => ({ messages: makePrompt(rand), ctx: makeContext(rand) }));
  const analyseMs: number[] = [];
  const decideMs: number[] = [];
  const totalMs: number[] = [];
  const intents = new Map<string, number>();
  const tiers = new Map<string, number>();
  for (let i = 0; i < cases.length; i += 1) {
    const { messages, ctx } = cases[i] as (typeof cases)[number];
    const t0 = performance.now();
    const analysis = analyse(messages);
    const t1 = performance.now();
    const decision = decide(analysis, ctx);
    const t2 = performance.now();
    if (i < WARMUP) continue;
    analyseMs.push(t1 - t0);
    decideMs.push(t2 - t1);
    totalMs.push(t2 - t0);
    intents.set(analysis.intent, (intents.get(analysis.intent) ?? 0) + 1);
    const tier = decision.tier ?? 'refused';
    tiers.set(tier, (tiers.get(tier) ?? 0) + 1);
  }
  const stats = (name: string, values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { phase: name, p50Us: round(percentile(sorted, 50)), p99Us: round(percentile(sorted, 99)), maxUs: round(sorted.at(-1) ?? null) };
  };
  const rows: BenchResult['rows'] = [stats('analyse', analyseMs), stats('decide', decideMs), stats('analyse+decide', totalMs)];
  const total = rows[2] as { p50Us: number; p99Us: number };
  const day = await simulateDay();
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const usd = (x: number) => Number(x.toFixed(4));
  return {
    name: 'router',
    rows,
    summary: {
      prompts: PROMPTS,
      p50Us: total.p50Us,
      p99Us: total.p99Us,
      targetP99Us: TARGET_P99_MS * 1000,
      pass: total.p99Us < TARGET_P99_MS * 1000,
      intents: [...intents].map(([k, v]) => `${k}:${v}`).join(' '),
      firstTier: [...tiers].map(([k, v]) => `${k}:${v}`).join(' '),
      dayRequests: day.requests,
      dayComplexity: Object.entries(day.complexities).map(([k, v]) => `${k}:${v}`).join(' '),
      dayCostUsd: usd(day.actualUsd),
      dayAllPremiumUsd: usd(day.allPremiumUsd),
      daySaved: pct(day.savedPct),
      dayReference: day.referenceModel,
      dayTiers: day.tiers.map((t) => `${t.tier}:${pct(t.share)}`).join(' '),
      dayEscalationRate: pct(day.escalationRate),
      dayGateFailures: day.failures,
      dayCostByPurpose: day.byPurpose.map((p) => `${p.purpose}:${p.calls}calls:$${p.costUsd.toFixed(4)}`).join(' '),
      dayWallMs: Math.round(day.wallMs),
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchRouter();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
