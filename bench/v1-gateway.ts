// Issue #17's targets for `/v1`, as ratios taken in one run against one zero-delay OpenAI-compatible
// upstream (bench/v1-upstream.ts, its own process): the raw upstream, Switchboard's built headless
// server (out/node, its own process) with an explicit model and with `switchboard/auto` (a cache
// miss: every question is new), and the Portkey AI gateway (@portkey-ai/gateway, its own process).
// Added latency at concurrency 1 (p50/p99), stream time to first token, throughput at concurrency
// 32; with 0, 100,000 and 1,000,000 calls in Switchboard's log. Then start-up and memory.
//
// Portkey: `build/start-server.js --port=<p> --headless` (no UI). Each request names the provider
// (`x-portkey-provider: openai`) and the loopback fake as its custom host (`x-portkey-custom-host`;
// 127.0.0.1 is in its default TRUSTED_CUSTOM_HOSTS). Reading its start-server: nothing is sent
// anywhere at start (no telemetry in the open-source gateway; its only outbound calls are the
// provider request and plugins/guardrails, none configured here); HTTP(S)_PROXY are removed from its
// environment so it cannot reach a proxy either.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { percentile } from '../src/main/runner';
import { openDatabase } from '../src/main/store';
import type { BenchResult } from './provider-overhead';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEY = 'sk-bench-v1-0123456789';
const TOKEN = 'sb-bench-v1-token-0123456789';
const HISTORIES = (process.env.BENCH_V1_HISTORIES ?? '0,100000,1000000').split(',').map(Number);
const C1_WARMUP = 40;
const C1_REQUESTS = Number(process.env.BENCH_V1_C1 ?? 250);
const C32_SECONDS = Number(process.env.BENCH_V1_C32_SECONDS ?? 3);
const RSS_REQUESTS = Number(process.env.BENCH_V1_RSS_REQUESTS ?? 10_000);

/** Issue #17's targets. */
const TARGETS = {
  explicitAddedP50Ms: 1,
  explicitAddedP99Ms: 5,
  autoAddedP50Ms: 2,
  streamTtftAddedMs: 2,
  autoOverExplicitTtftMs: 2,
  throughputVsRaw: 0.9,
  historySpread: 0.1,
  headlessFirstRequestMs: 700,
  cliWallMs: 300,
  idleRssMb: 150,
  rssGrowth: 0.2,
};

type Path = 'raw' | 'explicit' | 'auto' | 'portkey';
interface Target {
  port: number;
  path: string;
  model: string;
  headers: Record<string, string>;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One request; resolves with total ms and ms to the first non-empty content delta (streams). */
function request(t: Target, n: number, stream: boolean): Promise<{ ms: number; ttftMs: number | null }> {
  const body = JSON.stringify({ model: t.model, messages: [{ role: 'user', content: `question number ${n}: what is ${n} plus one?` }], stream });
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let ttft: number | null = null;
    const req = http.request(
      { host: '127.0.0.1', port: t.port, path: t.path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...t.headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
          if (stream && ttft === null && /"content":"[^"]/.test(text)) ttft = performance.now() - t0;
        });
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${t.model} on :${t.port} answered ${res.statusCode}: ${text.slice(0, 300)}`));
          else resolve({ ms: performance.now() - t0, ttftMs: ttft });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function p(values: number[], q: number): number {
  return percentile([...values].sort((a, b) => a - b), q) ?? NaN;
}
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Concurrency 1, the paths interleaved in a rotating order so drift hits them alike. */
async function atC1(targets: Partial<Record<Path, Target>>, stream: boolean, counter: { n: number }) {
  const paths = Object.keys(targets) as Path[];
  const ms: Record<Path, number[]> = { raw: [], explicit: [], auto: [], portkey: [] };
  for (let i = 0; i < C1_WARMUP + C1_REQUESTS; i += 1) {
    for (let k = 0; k < paths.length; k += 1) {
      const name = paths[(i + k) % paths.length]!;
      const out = await request(targets[name]!, (counter.n += 1), stream);
      if (i >= C1_WARMUP) ms[name].push(stream ? (out.ttftMs ?? out.ms) : out.ms);
    }
  }
  return ms;
}

/** User + system CPU time of a process so far, in ms (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks; USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/**
 * Closed loop: 32 clients for `seconds`; requests per second, the p50 latency, and the CPU time the
 * server under test spent per request — a figure that other load on the machine disturbs far less
 * than the rate (issue #17: measured on a shared 2-core box).
 */
async function atC32(t: Target, seconds: number, counter: { n: number }, pid?: number): Promise<{ rps: number; p50Ms: number; cpuMsPerRequest: number }> {
  const until = performance.now() + seconds * 1000;
  const ms: number[] = [];
  const t0 = performance.now();
  const cpu0 = cpuMs(pid);
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() < until) ms.push((await request(t, (counter.n += 1), false)).ms);
    }),
  );
  return { rps: ms.length / ((performance.now() - t0) / 1000), p50Ms: p(ms, 50), cpuMsPerRequest: (cpuMs(pid) - cpu0) / ms.length };
}

function spawnChild(file: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const childEnv = { ...process.env, ...env };
  delete childEnv.HTTP_PROXY;
  delete childEnv.HTTPS_PROXY;
  delete childEnv.http_proxy;
  delete childEnv.https_proxy;
  return spawn(process.execPath, [file, ...args], { cwd: ROOT, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const match = pattern.exec(out);
      if (match) resolve(match);
    });
    child.on('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready: ${err.slice(-500)}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin?.end();
  child.kill('SIGTERM');
  await exited;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** `n` calls over the last year, a tenth this month, written with SQL (the rollup triggers run). */
function seedCalls(dataDir: string, n: number): void {
  const db = openDatabase(path.join(dataDir, 'switchboard.db'));
  try {
    if (n === 0) return;
    db.prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < @n),
       rows(i, at) AS (SELECT i, @now - CASE WHEN i % 10 = 0 THEN (i * 7919) % (25 * 86400000) ELSE ((i * 7919) % 365) * 86400000 END - 60000 FROM seq)
       INSERT INTO calls (id, message_id, model_id, provider, tier, started_at, first_token_at, ended_at, status, error_code,
         input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, cost_usd, estimated, attempt, fallback_from, purpose)
       SELECT 'hist-' || i, NULL,
              CASE i % 3 WHEN 0 THEN 'openai/gpt-4o-mini' WHEN 1 THEN 'groq/llama-3.1-8b-instant' ELSE 'ollama/qwen2.5-coder:7b' END,
              CASE i % 3 WHEN 0 THEN 'openai' WHEN 1 THEN 'groq' ELSE 'ollama' END,
              CASE i % 3 WHEN 0 THEN 'paid' WHEN 1 THEN 'free' ELSE 'local' END,
              at, at + 150, at + 900, 'ok', NULL, 1200, 300, 0, 0, CASE i % 3 WHEN 0 THEN 0.0000004 ELSE 0 END, 0, 1, NULL,
              CASE i % 4 WHEN 0 THEN 'chat' WHEN 1 THEN 'api' WHEN 2 THEN 'council.answer' ELSE 'tasks.node' END
       FROM rows`,
    ).run({ n, now: Date.now() });
  } finally {
    db.close();
  }
}

async function startSwitchboard(dataDir: string, upstreamPort: number, configFile: string): Promise<{ child: ChildProcess; port: number; firstRequestMs: number }> {
  const t0 = performance.now();
  const child = spawnChild(path.join(ROOT, 'out/node/headless.mjs'), ['--port', '0', '--data-dir', dataDir], {
    OPENAI_API_KEY: KEY,
    OPENAI_BASE_URL: `http://127.0.0.1:${upstreamPort}/v1`,
    OLLAMA_HOST: 'http://127.0.0.1:2',
    SWITCHBOARD_API_TOKEN: TOKEN,
    SWITCHBOARD_ROUTER_CONFIG: configFile,
    SWITCHBOARD_LOG_LEVEL: 'error',
  });
  const match = await waitForLine(child, /OpenAI-compatible API: http:\/\/127\.0\.0\.1:(\d+)\/v1/, 'headless Switchboard');
  const port = Number(match[1]);
  await request({ port, path: '/v1/chat/completions', model: 'openai/gpt-4o-mini', headers: { authorization: `Bearer ${TOKEN}` } }, 0, false);
  return { child, port, firstRequestMs: performance.now() - t0 };
}

/** Wall time of a CLI command from the build, median of `runs`, and of `node -e 1` (the floor). */
function cliWall(args: string[], dataDir: string, runs = 5): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    try {
      execFileSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, OLLAMA_HOST: 'http://127.0.0.1:2', SWITCHBOARD_DATA_DIR: dataDir }, stdio: 'pipe' });
    } catch (error) {
      // doctor exits 1 when Ollama is not running, as here: its output is still complete.
      if ((error as { status?: number }).status !== 1) throw error;
    }
    ms.push(performance.now() - t0);
  }
  return p(ms, 50);
}

export async function benchV1Gateway(): Promise<BenchResult> {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-node.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-v1-'));
  const upstream = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/v1-upstream.ts')], { cwd: ROOT, env: { ...process.env, BENCH_UPSTREAM_KEY: KEY }, stdio: ['pipe', 'pipe', 'pipe'] });
  const upPort = Number((await waitForLine(upstream, /\{"port":(\d+)\}/, 'the fake upstream'))[1]);
  const portkeyPort = 20_000 + Math.floor(Math.random() * 20_000);
  const portkey = spawnChild(path.join(ROOT, 'node_modules/@portkey-ai/gateway/build/start-server.js'), [`--port=${portkeyPort}`, '--headless'], { NODE_ENV: 'production' });
  await waitForLine(portkey, /Ready for connections|AI Gateway is running/, 'the Portkey gateway');
  // The router's groq rung is the upstream's model, so Auto picks it for a simple question (local
  // has nothing installed); a budget far from its thresholds (every paid request is reserved).
  const configFile = path.join(work, 'router.json');
  fs.writeFileSync(configFile, JSON.stringify({ rungs: { groq: ['openai/gpt-4o-mini'] }, cost: { dailyBudgetUsd: 1e6, warnThresholdUsd: 9e5, stopThresholdUsd: 1.1e6, monthlyBudgetUsd: 1e7, monthlyWarnUsd: 9e6, monthlyStopUsd: 1.1e7 } }));
  const rows: BenchResult['rows'] = [];
  const counter = { n: 0 };
  const summary: BenchResult['summary'] = {};
  try {
    for (const history of HISTORIES) {
      const dataDir = path.join(work, `data-${history}`);
      fs.mkdirSync(dataDir);
      const seedStart = performance.now();
      seedCalls(dataDir, history);
      const seedMs = performance.now() - seedStart;
      const sb = await startSwitchboard(dataDir, upPort, configFile);
      if (history === 0) {
        // Idle: launched, one request answered, nothing else yet.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        summary.idleRssMb = Math.round(rssMb(sb.child.pid!));
      }
      try {
        const sbHeaders = { authorization: `Bearer ${TOKEN}` };
        const targets: Record<Path, Target> = {
          raw: { port: upPort, path: '/v1/chat/completions', model: 'gpt-4o-mini', headers: { authorization: `Bearer ${KEY}` } },
          explicit: { port: sb.port, path: '/v1/chat/completions', model: 'openai/gpt-4o-mini', headers: sbHeaders },
          auto: { port: sb.port, path: '/v1/chat/completions', model: 'switchboard/auto', headers: sbHeaders },
          portkey: { port: portkeyPort, path: '/v1/chat/completions', model: 'gpt-4o-mini', headers: { authorization: `Bearer ${KEY}`, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `http://127.0.0.1:${upPort}/v1` } },
        };
        const c1 = await atC1(targets, false, counter);
        // Portkey 1.15.2 fails every stream with this @hono/node-server ("TypeError: immutable" in
        // updateHeaders: Portkey-AI/gateway#1389): its stream TTFT is left out when the probe fails.
        const portkeyStreams = await request(targets.portkey, 0, true).then(() => true, () => false);
        summary.portkeyStreams = portkeyStreams;
        const { portkey: _portkey, ...streamTargets } = targets;
        const ttft = await atC1(portkeyStreams ? targets : streamTargets, true, counter);
        const c32 = {} as Record<Path, { rps: number; p50Ms: number; cpuMsPerRequest: number }>;
        const pids: Record<Path, number | undefined> = { raw: upstream.pid, explicit: sb.child.pid, auto: sb.child.pid, portkey: portkey.pid };
        for (const name of ['raw', 'explicit', 'auto', 'portkey'] as Path[]) c32[name] = await atC32(targets[name], C32_SECONDS, counter, pids[name]);
        const rawP50 = p(c1.raw, 50);
        const rawP99 = p(c1.raw, 99);
        const rawTtft = p(ttft.raw, 50);
        for (const name of ['explicit', 'auto', 'portkey'] as Path[]) {
          rows.push({
            history,
            path: name,
            addedP50Ms: r2(p(c1[name], 50) - rawP50),
            addedP99Ms: r2(p(c1[name], 99) - rawP99),
            p50Ms: r2(p(c1[name], 50)),
            streamTtftAddedP50Ms: ttft[name].length ? r2(p(ttft[name], 50) - rawTtft) : 'failed',
            c32AddedP50Ms: r2(c32[name].p50Ms - c32.raw.p50Ms),
            c32Rps: Math.round(c32[name].rps),
            c32VsRaw: r2(c32[name].rps / c32.raw.rps),
            c32CpuMsPerRequest: r2(c32[name].cpuMsPerRequest),
          });
        }
        rows.push({ history, path: 'raw', addedP50Ms: 0, addedP99Ms: 0, p50Ms: r2(rawP50), streamTtftAddedP50Ms: 0, c32AddedP50Ms: 0, c32Rps: Math.round(c32.raw.rps), c32VsRaw: 1, c32CpuMsPerRequest: r2(c32.raw.cpuMsPerRequest) });
        summary[`seed${history}Ms`] = Math.round(seedMs);
        if (history === 0) {
          summary.headlessFirstRequestMs = Math.round(sb.firstRequestMs);
          summary.rssAfterBenchMb = Math.round(rssMb(sb.child.pid!));
          for (let done = 0; done < RSS_REQUESTS; ) {
            await Promise.all(Array.from({ length: 32 }, () => request(targets.auto, (counter.n += 1), false)));
            done += 32;
          }
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          summary.rssAfterRequestsMb = Math.round(rssMb(sb.child.pid!));
          summary.rssRequests = RSS_REQUESTS;
        } else summary[`headlessFirstRequestMs${history}`] = Math.round(sb.firstRequestMs);
      } finally {
        await stop(sb.child);
      }
    }
    const cliData = path.join(work, 'data-0');
    summary.nodeFloorMs = Math.round(cliWall(['-e', '1'], cliData));
    summary.routeJsonMs = Math.round(cliWall([path.join(ROOT, 'bin/switchboard.mjs'), 'route', 'hello', '--json'], cliData));
    summary.doctorJsonMs = Math.round(cliWall([path.join(ROOT, 'bin/switchboard.mjs'), 'doctor', '--json'], cliData));
  } finally {
    await Promise.all([stop(portkey), stop(upstream)]);
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { name: '/v1 against raw upstream and Portkey (issue #17)', rows, summary: { ...summary, ...verdicts(rows, summary) } };
}

/** Each target beside its figure (worst over the histories), and whether it is met. */
function verdicts(rows: BenchResult['rows'], s: BenchResult['summary']): BenchResult['summary'] {
  const of = (pathName: string, key: string) => rows.filter((r) => r.path === pathName).map((r) => r[key] as number);
  const worst = (pathName: string, key: string) => Math.max(...of(pathName, key));
  const least = (pathName: string, key: string) => Math.min(...of(pathName, key));
  const spread = (values: number[]) => (Math.max(...values) - Math.min(...values)) / Math.min(...values);
  const autoOverExplicit = Math.max(...HISTORIES.map((h) => (rows.find((r) => r.history === h && r.path === 'auto')!.streamTtftAddedP50Ms as number) - (rows.find((r) => r.history === h && r.path === 'explicit')!.streamTtftAddedP50Ms as number)));
  const portkeyRps = least('portkey', 'c32Rps');
  const v = {
    explicitAddedP50Ms: worst('explicit', 'addedP50Ms'),
    explicitAddedP99Ms: worst('explicit', 'addedP99Ms'),
    autoAddedP50Ms: worst('auto', 'addedP50Ms'),
    streamTtftAddedMs: worst('explicit', 'streamTtftAddedP50Ms'),
    autoOverExplicitTtftMs: r2(autoOverExplicit),
    throughputVsRaw: least('explicit', 'c32VsRaw'),
    explicitC32Rps: least('explicit', 'c32Rps'),
    explicitC32CpuMsPerRequest: worst('explicit', 'c32CpuMsPerRequest'),
    portkeyC32CpuMsPerRequest: worst('portkey', 'c32CpuMsPerRequest'),
    portkeyC32Rps: portkeyRps,
    historySpreadExplicitP50: r2(spread(of('explicit', 'p50Ms'))),
    historySpreadAutoP50: r2(spread(of('auto', 'p50Ms'))),
    historySpreadExplicitRps: r2(spread(of('explicit', 'c32Rps'))),
  };
  return {
    ...v,
    meetsExplicitAddedP50: v.explicitAddedP50Ms <= TARGETS.explicitAddedP50Ms,
    meetsExplicitAddedP99: v.explicitAddedP99Ms <= TARGETS.explicitAddedP99Ms,
    meetsAutoAddedP50: v.autoAddedP50Ms <= TARGETS.autoAddedP50Ms,
    meetsStreamTtft: v.streamTtftAddedMs <= TARGETS.streamTtftAddedMs,
    meetsAutoTtft: v.autoOverExplicitTtftMs <= TARGETS.autoOverExplicitTtftMs,
    meetsThroughput: v.throughputVsRaw >= TARGETS.throughputVsRaw && v.explicitC32Rps >= portkeyRps,
    meetsHistory: Math.max(v.historySpreadExplicitP50, v.historySpreadAutoP50, v.historySpreadExplicitRps) <= TARGETS.historySpread,
    meetsHeadlessStart: (s.headlessFirstRequestMs as number) <= TARGETS.headlessFirstRequestMs,
    meetsCli: Math.max(s.routeJsonMs as number, s.doctorJsonMs as number) <= TARGETS.cliWallMs,
    meetsIdleRss: (s.idleRssMb as number) <= TARGETS.idleRssMb,
    meetsRssGrowth: (s.rssAfterRequestsMb as number) <= (s.idleRssMb as number) * (1 + TARGETS.rssGrowth),
  };
}

/** The figures beside their targets and Portkey's, one line each (bench/index.ts prints the tables too). */
export function printV1Targets(result: BenchResult): void {
  const s = result.summary;
  const portkey = (key: string) => Math.max(...result.rows.filter((r) => r.path === 'portkey').map((r) => r[key] as number));
  const lines: Array<[string, unknown, string, unknown, unknown]> = [
    ['/v1 explicit added p50 (c=1)', s.explicitAddedP50Ms, `≤ ${TARGETS.explicitAddedP50Ms} ms`, portkey('addedP50Ms'), s.meetsExplicitAddedP50],
    ['/v1 explicit added p99 (c=1)', s.explicitAddedP99Ms, `≤ ${TARGETS.explicitAddedP99Ms} ms`, portkey('addedP99Ms'), s.meetsExplicitAddedP99],
    ['/v1 auto added p50 (c=1, miss)', s.autoAddedP50Ms, `≤ ${TARGETS.autoAddedP50Ms} ms`, portkey('addedP50Ms'), s.meetsAutoAddedP50],
    ['stream TTFT added p50', s.streamTtftAddedMs, `≤ ${TARGETS.streamTtftAddedMs} ms`, s.portkeyStreams ? portkey('streamTtftAddedP50Ms') : 'fails (gateway#1389)', s.meetsStreamTtft],
    ['auto TTFT over explicit', s.autoOverExplicitTtftMs, `≤ ${TARGETS.autoOverExplicitTtftMs} ms`, '—', s.meetsAutoTtft],
    ['server CPU per request at c=32 (ms)', s.explicitC32CpuMsPerRequest, '— (load-insensitive beside the rate)', s.portkeyC32CpuMsPerRequest, '—'],
    ['throughput c=32 vs raw', s.throughputVsRaw, `≥ ${TARGETS.throughputVsRaw} and ≥ Portkey (${s.portkeyC32Rps} req/s)`, s.portkeyC32Rps, s.meetsThroughput],
    ['spread over 0/100k/1M calls', Math.max(s.historySpreadExplicitP50 as number, s.historySpreadAutoP50 as number, s.historySpreadExplicitRps as number), `≤ ${TARGETS.historySpread}`, '—', s.meetsHistory],
    ['headless first request after launch', s.headlessFirstRequestMs, `≤ ${TARGETS.headlessFirstRequestMs} ms`, '—', s.meetsHeadlessStart],
    ['route --json / doctor --json wall', `${s.routeJsonMs} / ${s.doctorJsonMs} (node -e 1: ${s.nodeFloorMs})`, `≤ ${TARGETS.cliWallMs} ms`, '—', s.meetsCli],
    ['headless RSS idle', s.idleRssMb, `≤ ${TARGETS.idleRssMb} MB`, '—', s.meetsIdleRss],
    [`headless RSS after the runs above + ${s.rssRequests} requests`, s.rssAfterRequestsMb, `≤ idle × ${1 + TARGETS.rssGrowth}`, '—', s.meetsRssGrowth],
  ];
  console.table(lines.map(([figure, value, target, peer, met]) => ({ figure, value, target, portkey: peer, met })));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchV1Gateway();
  console.table(result.rows);
  printV1Targets(result);
}
