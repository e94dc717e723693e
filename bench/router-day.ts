// A simulated day of routed requests: a seeded mix from trivial questions to long, code-heavy
// architecture work, run through the real RouterService, reliability layer and providers against
// loopback fakes (fake-ollama for the local model, fake-openai for Groq and DeepSeek, fake-anthropic
// for Haiku and Sonnet; prices from the catalog). Some local replies are scripted to fail a quality
// gate (a refusal or an empty reply), and a few Groq replies too, so escalations happen. Reported
// from the app's own metrics: actual cost against every call's tokens at the reference (premium)
// model's price, share of requests per tier, escalation rate.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../src/main/app';
import { silentLogger } from '../src/main/logger';
import { analyse } from '../src/main/router';
import { MemoryKeychain } from '../src/main/secrets/keychain';
import { startFakeAnthropic } from '../test/fixtures/fake-anthropic';
import { startFakeOllama } from '../test/fixtures/fake-ollama';
import { startFakeOpenAI } from '../test/fixtures/fake-openai';
import { seededRandom } from '../src/shared/random';

export const DAY_REQUESTS = 200;
const SEED = 0xda7;
/** Share of local replies scripted to fail a gate, and of Groq replies (they escalate further). */
const LOCAL_FAILURE_PCT = 12;
const GROQ_FAILURE_PCT = 4;


/** FNV-1a: the fakes decide a reply from the prompt alone, so the same prompts fail every run. */
function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

// Weighted towards the everyday: many trivial questions and small edits, fewer big design tasks.
const TEMPLATES: Array<[number, string]> = [
  [14, 'What is {concept} in {lang}?'],
  [8, 'hi! quick one: what does {concept} mean?'],
  [10, 'Fix the typo in {file}'],
  [10, 'Write a {lang} function that validates {thing}'],
  [6, 'Write unit tests for {thing}'],
  [6, 'Summarize the discussion about {thing}'],
  [5, 'Translate the error messages of {thing} into German'],
  [8, 'Refactor {thing} in {file} into smaller functions, keeping its public API'],
  [7, 'Why does {thing} throw TypeError: cannot read properties of undefined?'],
  [6, 'Review {file} for problems'],
  [4, 'Compare Postgres and SQLite for {thing}: pros and cons'],
  [4, 'Solve 3x + {n} = {n2} and explain each step'],
  [4, 'Design the architecture for a scalable {thing} service with queues, retries and sharding'],
  [2, 'Harden {thing} for production: it handles payments and must never double-charge'],
];
const CONCEPTS = ['a closure', 'tail recursion', 'a race condition', 'memoisation', 'an iterator', 'dependency injection'];
const LANGS = ['TypeScript', 'Python', 'Go', 'Rust'];
const THINGS = ['the session store', 'the rate limiter', 'the CSV parser', 'the cache layer', 'the task scheduler', 'the settings page', 'the search index'];
const FILES = ['src/main/app.ts', 'lib/parser.py', 'cmd/main.go', 'README.md', 'src/server/routes.ts'];
const DETAILS = [
  'It is called from three places and two of them pass undefined on startup.',
  'We deploy it on two regions and the logs show retries piling up under load.',
  'Keep the behaviour identical for existing callers; the public API is used by other teams.',
  'Performance matters: it runs on every request and currently takes 40 ms at p95.',
  'Explain the trade-offs you make and list what you would test.',
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function makePrompt(rand: () => number): string {
  const total = TEMPLATES.reduce((n, [w]) => n + w, 0);
  let r = rand() * total;
  const template = TEMPLATES.find(([w]) => (r -= w) < 0)?.[1] ?? TEMPLATES[0]![1];
  let text = template
    .replace('{concept}', pick(rand, CONCEPTS))
    .replace('{lang}', pick(rand, LANGS))
    .replace('{thing}', pick(rand, THINGS))
    .replace('{file}', pick(rand, FILES))
    .replace('{n}', String(Math.floor(rand() * 50)))
    .replace('{n2}', String(50 + Math.floor(rand() * 50)));
  // Longer requests: details, and sometimes the code in question (medium → complex).
  const r2 = rand();
  const details = r2 < 0.12 ? DETAILS.length : r2 < 0.5 ? 1 + Math.floor(rand() * 3) : 0;
  for (let i = 0; i < details; i += 1) text += ` ${details === DETAILS.length ? DETAILS[i] : pick(rand, DETAILS)}`;
  if (details === DETAILS.length) text += ' Requirements: 1. no downtime during the migration; 2. every change behind a flag; 3. a rollback plan; 4. metrics for each step; 5. documentation for the on-call team.';
  if (rand() < 0.18) {
    const lines = 10 + Math.floor(rand() * 60);
    text += `\n\`\`\`ts\n${Array.from({ length: lines }, (_, i) => `export const step${i} = (input: string) => input.trim().slice(${i});`).join('\n')}\n\`\`\``;
  }
  return text;
}

function lastUser(messages: Array<{ role: string; content: unknown }>): string {
  const m = [...messages].reverse().find((x) => x.role === 'user');
  return typeof m?.content === 'string' ? m.content : JSON.stringify(m?.content ?? '');
}

/** A reply of a plausible length for the request: longer requests get longer answers. */
function answer(prompt: string, who: string): string {
  const words = 40 + (fnv(who + prompt) % 160) + Math.min(600, Math.floor(prompt.length / 6));
  return `${who}: ${Array.from({ length: words }, (_, i) => `word${i % 50}`).join(' ')}.`;
}

export interface DayResult {
  requests: number;
  wallMs: number;
  actualUsd: number;
  allPremiumUsd: number;
  savedPct: number;
  referenceModel: string;
  tiers: Array<{ tier: string; requests: number; share: number }>;
  escalationRate: number;
  escalations: number;
  complexities: Record<string, number>;
  failures: string;
  /** Issue #10: the day's spend by what each call was for (chat, council, task graph …). */
  byPurpose: Array<{ purpose: string; calls: number; costUsd: number }>;
}

/** A day also has a few council runs and a planned task graph (seed 002's daily mix has both). */
const DAY_COUNCILS = 2;
const DAY_GRAPHS = 1;
const DAY_PLAN = {
  goal: 'A short incident write-up',
  tasks: [
    { id: 't1', title: 'Timeline', instructions: 'Write the timeline of the outage from the notes.', kind: 'docs', complexity: 'simple', dependsOn: [] },
    { id: 't2', title: 'Root cause', instructions: 'Explain the root cause: a cache stampede after a deploy.', kind: 'analysis', complexity: 'medium', dependsOn: [] },
    { id: 't3', title: 'Follow-ups', instructions: 'List follow-up actions from the timeline and the root cause.', kind: 'docs', complexity: 'simple', dependsOn: ['t1', 't2'] },
  ],
};

/** `routerConfig`: a router.json for the day (issue #11 compares the difficulty dial with the length rules). */
export async function simulateDay(requests = DAY_REQUESTS, options: { routerConfig?: string } = {}): Promise<DayResult> {
  const ollama = await startFakeOllama({ models: [{ name: 'qwen2.5-coder:7b', family: 'qwen2', parameterSize: '7.6B' }] });
  const groq = await startFakeOpenAI({ models: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'], apiKey: 'gsk_bench_day_0001' });
  const deepseek = await startFakeOpenAI({ models: ['deepseek-chat'], apiKey: 'sk-bench-day-0001' });
  const anthropic = await startFakeAnthropic({ models: ['claude-haiku-4-5', 'claude-sonnet-5-5'], apiKey: 'sk-ant-bench-day-0001' });
  ollama.setBehavior('*', {
    reply: ({ messages }) => {
      const prompt = lastUser(messages);
      const h = fnv(prompt);
      if (h % 100 < LOCAL_FAILURE_PCT) return h % 2 ? "I can't help with that." : '';
      return answer(prompt, 'local');
    },
  });
  groq.setBehavior('*', { reply: ({ messages }) => (fnv(`groq${lastUser(messages)}`) % 100 < GROQ_FAILURE_PCT ? '' : answer(lastUser(messages), 'groq')) });
  deepseek.setBehavior('*', { reply: ({ messages }) => answer(lastUser(messages), 'deepseek') });
  anthropic.setBehavior('*', {
    reply: ({ messages, body }) => (JSON.stringify(body.system ?? '').includes('You are the planner') ? JSON.stringify(DAY_PLAN) : answer(lastUser(messages), 'claude')),
  });

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-day-'));
  const app = createApp({
    dataDir,
    mode: 'cli',
    logger: silentLogger,
    keychain: new MemoryKeychain(),
    env: {
      OLLAMA_HOST: ollama.url,
      GROQ_API_KEY: 'gsk_bench_day_0001',
      GROQ_BASE_URL: `${groq.url}/v1`,
      DEEPSEEK_API_KEY: 'sk-bench-day-0001',
      DEEPSEEK_BASE_URL: `${deepseek.url}/v1`,
      ANTHROPIC_API_KEY: 'sk-ant-bench-day-0001',
      ANTHROPIC_BASE_URL: anthropic.url,
      ...(options.routerConfig ? { SWITCHBOARD_ROUTER_CONFIG: options.routerConfig } : {}),
    },
  });
  try {
    const rand = seededRandom(SEED);
    const prompts = Array.from({ length: requests }, () => makePrompt(rand));
    const complexities: Record<string, number> = {};
    for (const p of prompts) {
      const c = analyse([{ role: 'user', content: p }]).complexity;
      complexities[c] = (complexities[c] ?? 0) + 1;
    }
    await app.services.routing.inputs.refresh(true);
    const started = performance.now();
    for (const [i, content] of prompts.entries()) {
      await app.services.pipeline.answer({ purpose: 'chat', model: 'switchboard/auto', conversationId: `day-${i}`, messages: [{ id: `u${i}`, role: 'user', content }], deltas: 'kept' });
    }
    for (let i = 0; i < DAY_COUNCILS; i += 1) {
      const { runId } = await app.services.council.start({
        question: prompts[i * 7] as string, models: ['ollama/qwen2.5-coder:7b', 'groq/llama-3.3-70b-versatile', 'deepseek/deepseek-chat'], minResponses: 3, pool: 'balanced', mode: 'synthesis',
      });
      await app.services.council.wait(runId);
    }
    for (let i = 0; i < DAY_GRAPHS; i += 1) {
      const planned = await app.services.tasks.plan({ request: 'Write up yesterday\'s outage', model: 'anthropic/claude-sonnet-5-5' });
      const graph = await app.services.tasks.create({ request: 'Write up yesterday\'s outage', plan: planned.plan, plannerModel: planned.model, planningCostUsd: planned.costUsd });
      app.services.tasks.run(graph.id);
      await app.services.tasks.wait(graph.id);
    }
    const wallMs = performance.now() - started;
    const d = await app.call('metrics.dashboard', { days: 1 });
    return {
      requests,
      wallMs,
      actualUsd: d.savings.actualUsd,
      allPremiumUsd: d.savings.referenceUsd ?? 0,
      savedPct: d.savings.savedPct ?? 0,
      referenceModel: d.savings.referenceModel,
      tiers: d.tiers.map((t) => ({ tier: t.tier, requests: t.requests, share: t.share })),
      escalationRate: d.escalation.rate,
      escalations: d.escalation.escalations,
      complexities,
      failures: d.failures.map((f) => `${f.kind}:${f.type}=${f.count}`).join(' '),
      byPurpose: d.byPurpose.map((p) => ({ purpose: p.purpose, calls: p.calls, costUsd: p.costUsd })),
    };
  } finally {
    await app.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await Promise.all([ollama.close(), groq.close(), deepseek.close(), anthropic.close()]);
  }
}
