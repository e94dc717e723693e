// The zero-delay OpenAI-compatible upstream of bench/v1-gateway.ts, in its own process so the load
// generator and the gateways under test do not share its event loop. Prints `{"port": n}` once
// listening; stops when its parent closes stdin.
import { startFakeOpenAI } from '../test/fixtures/fake-openai';

const key = process.env.BENCH_UPSTREAM_KEY ?? 'sk-bench-v1-0123456789';
const fake = await startFakeOpenAI({ apiKey: key, models: ['gpt-4o-mini'] });
// Ten words, usage included; rate-limit headers far from exhausted (a nearly exhausted tier is skipped).
fake.setBehavior('*', {
  reply: 'one two three four five six seven eight nine ten',
  rateLimit: { limitRequests: 10_000_000, remainingRequests: 10_000_000, limitTokens: 1_000_000_000, remainingTokens: 1_000_000_000 },
});
// The fake records every request for tests; a bench sends tens of thousands.
setInterval(() => fake.requests.splice(0), 1_000).unref();
process.stdout.write(`${JSON.stringify({ port: fake.port })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void fake.close().then(() => process.exit(0)));
