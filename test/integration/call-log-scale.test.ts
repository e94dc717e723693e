// Issue #17: whatever the router, budget, health and dashboard read from past calls comes from
// rollups or indexed queries, never a scan of the call log. 100,000 calls (and 20,000 routed
// requests) in a temporary database; every statement those readers run is explained with
// EXPLAIN QUERY PLAN, and the rollups are checked against a full scan.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsService } from '../../src/main/metrics';
import { ProviderHealth } from '../../src/main/reliability';
import { BudgetLedger, DEFAULT_ROUTER_CONFIG, DecisionRecorder, startOfDay, startOfMonth } from '../../src/main/router';
import { MIGRATIONS, migrate, openDatabase, type Db } from '../../src/main/store';
import { CallRecorder, SpendTotals } from '../../src/main/usage';

const CALLS = 100_000;
const DECISIONS = 20_000;
const NOW = Date.now();
const DAY = 86_400_000;
const MODELS = [
  ['openai/gpt-4o-mini', 'openai', 'paid', 0.0004],
  ['groq/llama-3.1-8b-instant', 'groq', 'free', 0],
  ['ollama/qwen2.5-coder:7b', 'ollama', 'local', 0],
  ['anthropic/claude-haiku-4-5', 'anthropic', 'paid', 0.002],
] as const;
const PURPOSES = ['chat', 'api', 'escalation', 'council.answer', 'tasks.node'];
const GATES = ['not-empty', 'not-refusal', 'complete', 'json'];

let dir: string;
let db: Db;
const executed: Array<{ sql: string; args: unknown[] }> = [];

/** Every statement prepared from here on records what it runs, with its parameters. */
function captureStatements(target: Db): void {
  const prepare = target.prepare.bind(target);
  target.prepare = ((sql: string) => {
    const statement = prepare(sql);
    for (const method of ['get', 'all', 'run', 'iterate'] as const) {
      const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        executed.push({ sql, args });
        return original(...args);
      };
    }
    return statement;
  }) as Db['prepare'];
}

function seed(target: Db, calls = CALLS, decisions = DECISIONS): void {
  const call = target.prepare(
    `INSERT INTO calls (id, message_id, model_id, provider, tier, started_at, first_token_at, ended_at, status, error_code,
       input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, cost_usd, estimated, attempt, fallback_from, purpose)
     VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, ?)`,
  );
  const decision = target.prepare(
    `INSERT INTO route_decisions (id, message_id, created_at, analysis_json, candidates_json, attempts_json, reasons_json, chosen_model, tier, outcome, cost_usd, latency_ms, escalations)
     VALUES (?, NULL, ?, '{}', '[]', ?, '[]', ?, ?, ?, 0, 100, ?)`,
  );
  target.transaction(() => {
    for (let i = 0; i < calls; i += 1) {
      const [model, provider, tier, price] = MODELS[i % MODELS.length]!;
      // Spread over 90 days, at odd milliseconds, so no period starts on a rollup bucket by luck.
      const at = NOW - ((i * 7_919) % (90 * DAY)) - (i % 977);
      const status = i % 23 === 0 ? 'error' : i % 31 === 0 ? 'cancelled' : 'ok';
      const input = 500 + (i % 1_000);
      const cached = i % 5 === 0 ? 200 : 0;
      // A few rows report more cached than input tokens: the uncached part is max(0, …) per call.
      const write = i % 97 === 0 ? 2_000 : 0;
      call.run(`c${i}`, model, provider, tier, at, status === 'ok' ? at + 40 + (i % 300) : null, at + 100 + (i % 900), status,
        status === 'error' ? (i % 2 ? 'timeout' : 'rate_limited') : null, input, 100 + (i % 400), cached, write, price * (1 + (i % 7)), i % 11 === 0 ? 1 : 0,
        PURPOSES[i % PURPOSES.length]!);
    }
    for (let i = 0; i < decisions; i += 1) {
      const at = NOW - ((i * 104_729) % (90 * DAY)) - (i % 613);
      const outcome = i % 50 === 0 ? 'refused' : i % 17 === 0 ? 'failed' : i % 41 === 0 ? 'cancelled' : 'ok';
      const attempts =
        outcome === 'refused'
          ? []
          : Array.from({ length: 1 + (i % 3) }, (_, a) => ({
              attempt: a + 1, model: MODELS[a]![0], tier: MODELS[a]![2], startedAt: at, latencyMs: 10, firstTokenMs: 5, usage: null, costUsd: 0, finishReason: 'stop',
              error: (i + a) % 9 === 0 ? { code: 'timeout', message: 'slow', retryable: true } : null,
              gates: GATES.map((gate, g) => ({ gate, passed: !(a < i % 3 && g === (i + a) % GATES.length), reason: '' })),
              passed: a === i % 3, chars: 10,
            }));
      const tier = outcome === 'ok' ? MODELS[i % 3]![2] : null;
      decision.run(`d${i}`, at, JSON.stringify(attempts), tier ? MODELS[i % 3]![0] : null, tier, outcome, Math.max(0, attempts.length - 1));
    }
  })();
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'call-log-scale-'));
  db = openDatabase(path.join(dir, 'switchboard.db'));
  seed(db);
  db.pragma('optimize');
  captureStatements(db);
}, 120_000);

afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The services that read the call log, wired as the app wires them (routing-services.ts, app.ts). */
function services() {
  const calls = new CallRecorder(db);
  const spend = new SpendTotals(db);
  const ledger = new BudgetLedger({ db, limits: () => DEFAULT_ROUTER_CONFIG.cost, spentSince: (ts) => spend.costSince(ts), now: () => NOW });
  const decisions = new DecisionRecorder(db);
  const metrics = new MetricsService({ db, decisions, ledger, calls, priceOf: () => ({ input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }), referenceModel: () => 'anthropic/claude-sonnet-5-5', now: () => NOW });
  const health = new ProviderHealth({ live: { healthSnapshots: () => [] }, calls });
  return { calls, spend, ledger, metrics, health };
}

describe('the call log at 100,000 calls (issue #17)', () => {
  it('routing, budgets, provider health and the dashboard never scan the calls or decisions tables', () => {
    const s = services();
    executed.length = 0;
    // What a request does: the budget's state and a reservation, settled; and what a recorded call does.
    for (let i = 0; i < 3; i += 1) {
      s.ledger.state();
      const r = s.ledger.reserve(0.01, 'api');
      if (r.ok) s.ledger.settle(r, 0.005);
      s.calls.record({ messageId: null, modelId: 'openai/gpt-4o-mini', provider: 'openai', tier: 'paid', startedAt: NOW, firstTokenAt: NOW + 5, endedAt: NOW + 10, status: 'ok', errorCode: null,
        inputTokens: 10, outputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, costUsd: 0.001, estimated: false, attempt: 1, fallbackFrom: null, purpose: 'api' });
    }
    // Settings → Providers → Health, the dashboard (two windows), the usage readers.
    s.health.list();
    s.metrics.dashboard(14);
    s.metrics.dashboard(90);
    s.calls.spendSince(startOfMonth(NOW));
    s.calls.spendByPurpose(NOW - 7 * DAY + 123);
    s.calls.latencyByModel(0);
    // Periods that do not start on a rollup bucket read their ragged edge from the logs.
    s.calls.rollups.costSince(NOW - 3 * DAY + 77);
    s.calls.rollups.decisionGroups(NOW - 3 * DAY + 77);
    s.calls.rollups.gateFailures(NOW - 3 * DAY + 77);

    const statements = new Map(executed.map((e) => [e.sql, e.args]));
    expect(statements.size).toBeGreaterThan(10);
    const scans: string[] = [];
    for (const [sql, args] of statements) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(args as never[])) as Array<{ detail: string }>;
      for (const { detail } of plan) {
        const where = `${detail}  ←  ${sql.replace(/\s+/g, ' ').slice(0, 160)}`;
        if (process.env.SHOW_PLANS) process.stdout.write(`${where}\n`);
        // SCAN <table> (with or without an index) reads every row.
        if (/^SCAN (calls|route_decisions|c|d)\b/.test(detail)) scans.push(where);
        // So does, in time, a range from a start with no end ("the month's calls"), unless LIMITed.
        if (/^SEARCH (calls|route_decisions|c|d)\b.*(started_at|created_at)>\?\)$/.test(detail) && !/\bLIMIT\b/.test(sql)) scans.push(where);
      }
    }
    expect(scans).toEqual([]);
  });

  it('the rollups give what a scan of the log gives', () => {
    const s = services();
    const periods = [0, startOfMonth(NOW), startOfDay(NOW), NOW - 7 * DAY + 123, NOW - 45 * DAY - 7];
    for (const since of periods) {
      const scan = db.prepare(`SELECT COALESCE(SUM(cost_usd), 0) AS costUsd, COUNT(*) AS calls, COALESCE(SUM(estimated), 0) AS estimatedCalls FROM calls WHERE started_at >= ?`).get(since) as {
        costUsd: number; calls: number; estimatedCalls: number;
      };
      const spent = s.calls.spendSince(since);
      expect(spent.calls).toBe(scan.calls);
      expect(spent.estimatedCalls).toBe(scan.estimatedCalls);
      expect(spent.costUsd).toBeCloseTo(scan.costUsd, 6);
      expect(s.spend.costSince(since)).toBeCloseTo(scan.costUsd, 6);

      const byPurpose = db
        .prepare(`SELECT purpose, COUNT(*) AS calls, SUM(cost_usd) AS costUsd, SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens FROM calls WHERE started_at >= ? GROUP BY purpose ORDER BY purpose`)
        .all(since) as Array<{ purpose: string; calls: number; costUsd: number; inputTokens: number; outputTokens: number }>;
      const rolled = [...s.calls.spendByPurpose(since)].sort((a, b) => a.purpose.localeCompare(b.purpose));
      expect(rolled.map((p) => [p.purpose, p.calls, p.inputTokens, p.outputTokens])).toEqual(byPurpose.map((p) => [p.purpose, p.calls, p.inputTokens, p.outputTokens]));
      rolled.forEach((p, i) => expect(p.costUsd).toBeCloseTo(byPurpose[i]!.costUsd, 6));
    }
  });

  it('the dashboard counts what the decision and call logs hold, as the per-row computation did', () => {
    const s = services();
    const d = s.metrics.dashboard(30);
    const records = new DecisionRecorder(db).list({ since: d.since, limit: 10_000_000 });
    const outcomes = { total: records.length, answered: 0, failed: 0, refused: 0, cancelled: 0 };
    let escalated = 0;
    let attempted = 0;
    const gates = new Map<string, number>();
    for (const r of records) {
      outcomes[r.outcome === 'ok' ? 'answered' : r.outcome] += 1;
      if (r.attempts.length > 0) attempted += 1;
      if (r.attempts.length > 0 && r.escalations > 0) escalated += 1;
      for (const a of r.attempts) {
        const failed = a.error ? null : a.gates.find((g) => !g.passed);
        if (failed) gates.set(failed.gate, (gates.get(failed.gate) ?? 0) + 1);
      }
    }
    expect(outcomes.total).toBeGreaterThan(1_000);
    expect(d.requests).toEqual(outcomes);
    expect(d.escalation).toMatchObject({ requests: attempted, escalated });
    expect(Object.fromEntries(d.failures.filter((f) => f.kind === 'gate').map((f) => [f.type, f.count]))).toEqual(Object.fromEntries(gates));
    const errors = db.prepare(`SELECT error_code AS type, COUNT(*) AS count FROM calls WHERE status = 'error' AND started_at >= ? GROUP BY error_code ORDER BY type`).all(d.since);
    expect(d.failures.filter((f) => f.kind === 'error').map(({ type, count }) => ({ type, count })).sort((a, b) => a.type.localeCompare(b.type))).toEqual(errors);

    // Savings: the reference model's price on every call's tokens, as costOf prices one call.
    const reference = db
      .prepare(`SELECT SUM(MAX(0, input_tokens - cached_input_tokens - cache_write_tokens) * 3 + cached_input_tokens * 0.3 + cache_write_tokens * 3.75 + output_tokens * 15) / 1e6 AS usd FROM calls WHERE started_at >= ?`)
      .get(d.since) as { usd: number };
    expect(d.savings.referenceUsd).toBeCloseTo(reference.usd, 6);
    expect(d.series.reduce((sum, day) => sum + day.requests, 0)).toBe(outcomes.total);
  });

  it('migration 9 backfills the rollups from existing rows exactly as its triggers build them', () => {
    const before = openDatabase(path.join(dir, 'before.db'), { migrations: MIGRATIONS.filter((m) => m.version < 9) });
    const after = openDatabase(path.join(dir, 'after.db'));
    try {
      seed(before, 5_000, 2_000);
      seed(after, 5_000, 2_000);
      migrate(before, MIGRATIONS);
      for (const table of ['call_rollups', 'call_models', 'decision_rollups', 'decision_gate_failures']) {
        // Sums of floats in another order may differ in the last bits: compared to 1e-9.
        const all = (target: Db) =>
          (target.prepare(`SELECT * FROM ${table}`).all() as Array<Record<string, unknown>>)
            .map((row) => JSON.stringify(Object.values(row).map((v) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v))))
            .sort();
        expect(all(before).length).toBeGreaterThan(0);
        expect(all(before)).toEqual(all(after));
      }
    } finally {
      before.close();
      after.close();
    }
  });
});
