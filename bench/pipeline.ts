// Issue #10: what the answer pipeline (cache lookup → route → budget reservation → cascade with
// gates → call log and decision record → cache store) adds to a model call, against the raw
// `openai` client in the same run, on a fresh database and on one with a year of history in the
// call log (the budget reads the day's and the month's spend from it on every request).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import OpenAI from 'openai';
import { createApp, type App } from '../src/main/app';
import { silentLogger } from '../src/main/logger';
import { MemoryKeychain } from '../src/main/secrets/keychain';
import { percentile } from '../src/main/runner';
import { startFakeOpenAI } from '../test/fixtures/fake-openai';
import type { BenchResult } from './provider-overhead';

const KEY = 'sk-bench-pipeline-0123456789';
const MODEL = 'gpt-4o-mini';
const WARMUP = 30;
const ITERATIONS = 300;
/** Issue #10's target: the pipeline adds under 1 ms at p50 over a raw client call. */
const TARGET_ADDED_P50_MS = 1;
/** Call-log sizes measured: fresh, and a heavy user's year (issue #17 measured growth up to 100k). */
const HISTORIES = [0, 10_000, 100_000];

/** `n` calls spread over the last 365 days, a tenth of them in the current month, as a real log would be. */
function seedHistory(app: App, n: number): void {
  const now = Date.now();
  const insert = app.db.prepare(
    `INSERT INTO calls (id, message_id, model_id, provider, tier, started_at, first_token_at, ended_at, status, error_code,
       input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, cost_usd, estimated, attempt, fallback_from, purpose)
     VALUES (?, NULL, ?, ?, ?, ?, ?, ?, 'ok', NULL, 1200, 300, 0, 0, ?, 0, 1, NULL, ?)`,
  );
  const models = [['openai/gpt-4o-mini', 'openai', 'paid', 0.0004], ['groq/llama-3.1-8b-instant', 'groq', 'free', 0], ['ollama/qwen2.5-coder:7b', 'ollama', 'local', 0]] as const;
  const purposes = ['chat', 'api', 'council.answer', 'tasks.node'];
  app.db.transaction(() => {
    for (let i = 0; i < n; i += 1) {
      const [model, provider, tier, cost] = models[i % models.length]!;
      const age = i % 10 === 0 ? (i % 86_400_000) : ((i * 7_919) % 365) * 86_400_000;
      const at = now - age - 60_000;
      insert.run(`hist-${i}`, model, provider, tier, at, at + 150, at + 900, cost, purposes[i % purposes.length]);
    }
  })();
}

function stats(values: number[]): { p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50) ?? NaN, p99: percentile(sorted, 99) ?? NaN };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export async function benchPipeline(): Promise<BenchResult> {
  const fake = await startFakeOpenAI({ apiKey: KEY, models: [MODEL] });
  fake.setBehavior(MODEL, { reply: 'one two three four five six seven eight nine ten' });
  const raw = new OpenAI({ apiKey: KEY, baseURL: `${fake.url}/v1`, maxRetries: 0 });
  const rows: BenchResult['rows'] = [];
  try {
    for (const history of HISTORIES) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-pipeline-'));
      const app = createApp({ dataDir, mode: 'cli', logger: silentLogger, keychain: new MemoryKeychain(), env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${fake.url}/v1` } });
      try {
        seedHistory(app, history);
        // Seeding blocks this process for seconds (the rollup triggers run per row): the fake's
        // keep-alive timers fire after it and close idle sockets, which a request sent at once can
        // meet as ECONNRESET. Let those closes happen first.
        await new Promise((resolve) => setTimeout(resolve, 200));
        // A budget far from its thresholds: the paid call is reserved and settled, never refused.
        app.services.settings.update({ router: { cost: { dailyBudgetUsd: 1000, warnThresholdUsd: 900, stopThresholdUsd: 1100, monthlyBudgetUsd: 10_000, monthlyWarnUsd: 9_000, monthlyStopUsd: 11_000 } } });
        const rawMs: number[] = [];
        const runnerMs: number[] = [];
        const pipeMs: number[] = [];
        const samples = [rawMs, runnerMs, pipeMs];
        let n = 0;
        const variants = [
          async () => {
            const t0 = performance.now();
            const stream = await raw.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: `question ${n}` }], stream: true, stream_options: { include_usage: true } });
            for await (const _chunk of stream) {
              // drain
            }
            return performance.now() - t0;
          },
          async () => {
            // The layer under the pipeline: provider + reliability + the guarded, logged fetch.
            const t0 = performance.now();
            for await (const part of app.services.runner.stream({ model: `openai/${MODEL}`, messages: [{ role: 'user', content: `question ${n}` }], purpose: 'api' })) {
              if (part.type === 'error') throw part.error;
            }
            return performance.now() - t0;
          },
          async () => {
            const t0 = performance.now();
            // A new question each time: a cache miss, so every stage runs (a hit would skip the model).
            const out = await app.services.pipeline.answer({ purpose: 'api', model: `openai/${MODEL}`, messages: [{ id: 'u', role: 'user', content: `question ${n}` }], keepContext: true, cache: {} });
            if (out.kind !== 'routed' || !out.route.result?.ok) throw new Error(`bench request failed: ${JSON.stringify(out.kind === 'routed' ? out.route.error : out.kind)}`);
            return performance.now() - t0;
          },
        ];
        for (let i = 0; i < WARMUP + ITERATIONS; i += 1) {
          n += 1;
          // Interleaved, in a rotating order: drift in the machine's state hits all three alike.
          for (let k = 0; k < variants.length; k += 1) {
            const v = (i + k) % variants.length;
            const ms = await variants[v]!();
            if (i >= WARMUP) samples[v]!.push(ms);
          }
        }
        const r = stats(rawMs);
        const u = stats(runnerMs);
        const p = stats(pipeMs);
        rows.push({
          history,
          rawP50Ms: round(r.p50),
          runnerP50Ms: round(u.p50),
          pipelineP50Ms: round(p.p50),
          // The pipeline's own work: cache, routing, budget, gates, records (the layer under it is measured apart).
          ownP50Ms: round(p.p50 - u.p50),
          ownP99Ms: round(p.p99 - u.p99),
          // Everything over the raw SDK: the pipeline plus provider, reliability layer and the guarded fetch.
          overRawP50Ms: round(p.p50 - r.p50),
          overRawP99Ms: round(p.p99 - r.p99),
        });
      } finally {
        await app.dispose();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    await fake.close();
  }
  const worst = Math.max(...rows.map((r) => r.ownP50Ms as number));
  const worstOverRaw = Math.max(...rows.map((r) => r.overRawP50Ms as number));
  return {
    name: 'answer pipeline overhead (issue #10)',
    rows,
    summary: { iterations: ITERATIONS, targetOwnP50Ms: TARGET_ADDED_P50_MS, worstOwnP50Ms: worst, worstOverRawP50Ms: worstOverRaw, pass: worst < TARGET_ADDED_P50_MS },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchPipeline();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
