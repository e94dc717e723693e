// The council over the real Ollama provider and HTTP: stragglers' requests really end on the
// server (fake.abortedRequests()), and structured output travels as Ollama's `format`.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCouncil, seededRandom, type CouncilEvent } from '../../src/main/council';
import { OllamaProvider } from '../../src/main/providers/ollama/ollama-provider';
import type { ModelRunner } from '../../src/main/runner';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';

let fake: FakeOllama;
let runner: ModelRunner;

beforeAll(async () => {
  fake = await startFakeOllama({ models: ['fast-a:1b', 'fast-b:1b', 'fast-c:1b', 'slow:70b'].map((name) => ({ name })) });
  const provider = new OllamaProvider({ host: () => fake.url });
  // The app's runner resolves `provider/model`; here every model is on the one fake Ollama.
  runner = { stream: (req) => provider.streamChat({ ...req, model: req.model.replace(/^ollama\//, '') }) };
});
afterAll(() => fake.close());
afterEach(() => fake.setBehavior('*', {}));

type Req = { model: string; messages: Array<{ role: string; content: string }>; format?: unknown };

/** Stage 1: "quality N" answers; stage 2 (a ranking schema): rank by quality; stage 3: the chairman. */
function member(quality: number) {
  return (req: Req): string => {
    const schema = req.format as { properties?: Record<string, unknown> } | undefined;
    if (schema?.properties?.ranking) {
      const prompt = req.messages.find((m) => m.role === 'user')?.content ?? '';
      const shown = [...prompt.matchAll(/### Answer ([A-Z]+)\n[^\n]*quality (\d+)/g)].map((m) => ({ label: m[1], q: Number(m[2]) }));
      return JSON.stringify({ ranking: shown.sort((a, b) => b.q - a.q).map((s) => s.label), reasons: 'higher quality first' });
    }
    if (req.messages[0]?.content.startsWith('You chair')) return `The council's answer, written by ${req.model}.`;
    return `Answer from ${req.model}, quality ${quality}.`;
  };
}

/** The straggler's latency: far beyond anything the other members or the stages take. */
const STRAGGLER_MS = 10_000;

const chatRequests = (model: string) => fake.requests.filter((r) => r.path === '/api/chat' && r.model === model);

describe('council over Ollama', () => {
  it('follows the K-th fastest model: the straggler is cut off and its HTTP request aborted', async () => {
    fake.setBehavior('fast-a:1b', { reply: member(1), firstTokenDelayMs: 50, tokenDelayMs: 1 });
    fake.setBehavior('fast-b:1b', { reply: member(2), firstTokenDelayMs: 300, tokenDelayMs: 1 });
    fake.setBehavior('fast-c:1b', { reply: member(3), firstTokenDelayMs: 550, tokenDelayMs: 1 });
    fake.setBehavior('slow:70b', { reply: member(4), firstTokenDelayMs: STRAGGLER_MS });
    const events: CouncilEvent[] = [];
    const record = await runCouncil({
      question: 'Which sorting algorithm for nearly sorted data?',
      models: ['ollama/fast-a:1b', 'ollama/fast-b:1b', 'ollama/fast-c:1b', 'ollama/slow:70b'],
      minResponses: 3, pool: 'balanced', mode: 'synthesis', runner, random: seededRandom(3), onEvent: (e) => events.push(e),
    });

    expect(record.status).toBe('completed');
    expect(record.responses.find((r) => r.model === 'ollama/slow:70b')).toMatchObject({ status: 'cut-off' });
    await expect.poll(() => fake.abortedRequests().map((r) => r.model)).toEqual(['slow:70b']);
    // Not a speed claim: waiting for the straggler would take at least its STRAGGLER_MS.
    expect(record.wallMs).toBeLessThan(STRAGGLER_MS);
    expect(record.generationMs).toBeLessThan(record.wallMs);
    // The three answers arrived in latency order (gaps of 250 ms, so load cannot reorder them), each with a first-token time and real token counts.
    const answered = record.responses.filter((r) => r.status === 'answered');
    expect(answered.sort((a, b) => a.settledOrder - b.settledOrder).map((r) => r.model)).toEqual(['ollama/fast-a:1b', 'ollama/fast-b:1b', 'ollama/fast-c:1b']);
    for (const r of answered) {
      expect(r.firstTokenMs).toBeGreaterThanOrEqual(40);
      expect(r.usage).toMatchObject({ estimated: false });
    }
    // Peer review went through Ollama's structured output: the labels each reviewer saw, as an enum.
    for (const review of record.review!.reviews) {
      expect(review.status).toBe('ranked');
      expect(review.shown.map((s) => s.model)).not.toContain(review.reviewer);
      const sent = chatRequests(review.reviewer.replace('ollama/', '')).find((r) => (r.body as { format?: unknown }).format)!.body as { format: { properties: { ranking: { items: { enum: string[] } } } } };
      expect(sent.format.properties.ranking.items.enum).toEqual(['A', 'B']);
    }
    expect(record.review!.ranking.map((r) => r.candidate)).toEqual(['ollama/fast-c:1b', 'ollama/fast-b:1b', 'ollama/fast-a:1b']);
    expect(record.answer).toBe("The council's answer, written by fast-c:1b.");
    expect(events.filter((e) => e.type === 'synthesis-delta').map((e) => (e as { text: string }).text).join('')).toBe(record.answer);
  });

  it('times out a model past its per-model budget and aborts its request', async () => {
    fake.setBehavior('fast-a:1b', { reply: JSON.stringify({ verdict: 'approve', reason: 'safe' }), firstTokenDelayMs: 20 });
    fake.setBehavior('fast-b:1b', { reply: JSON.stringify({ verdict: 'reject', reason: 'no tests' }), firstTokenDelayMs: 30 });
    fake.setBehavior('fast-c:1b', { reply: JSON.stringify({ verdict: 'approve', reason: 'fine' }), firstTokenDelayMs: 40 });
    fake.setBehavior('slow:70b', { reply: JSON.stringify({ verdict: 'reject', reason: 'late' }), firstTokenDelayMs: STRAGGLER_MS });
    const abortedBefore = fake.abortedRequests().length;
    const record = await runCouncil({
      question: 'Approve this pull request?',
      models: ['ollama/fast-a:1b', 'ollama/fast-b:1b', 'ollama/fast-c:1b', 'ollama/slow:70b'],
      // A budget the fast members stay far inside even on a loaded machine; only the straggler crosses it.
      minResponses: 4, pool: 'quick', perModelTimeoutMs: 2_000, mode: 'consensus', runner,
    });
    expect(record.responses.find((r) => r.model === 'ollama/slow:70b')).toMatchObject({ status: 'timeout', error: { code: 'timeout' } });
    await expect.poll(() => fake.abortedRequests().length).toBe(abortedBefore + 1);
    expect(record.verdict).toMatchObject({ outcome: 'majority', verdict: 'approve', votes: 3, dissent: [{ model: 'ollama/fast-b:1b', reason: 'no tests' }] });
    const sent = chatRequests('fast-a:1b').at(-1)!.body as { format: { properties: { verdict: { enum: string[] } } } };
    expect(sent.format.properties.verdict.enum).toEqual(['approve', 'reject']);
  });
});
