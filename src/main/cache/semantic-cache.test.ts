import { afterEach, describe, expect, it } from 'vitest';
import { embedText } from '../../../test/fixtures/ollama-protocol';
import type { Db } from '../store';
import { CacheService, type CacheServiceOptions } from './cache-service';
import { FakeClock, ask, cosine, hashedEmbedder, openCacheDb, reply } from './cache-test-helpers';
import type { Embedder } from './types';

let db: Db;
afterEach(() => db?.close());

function cache(options: Partial<CacheServiceOptions> = {}) {
  db = openCacheDb();
  const clock = new FakeClock();
  const embedder = hashedEmbedder();
  return { cache: new CacheService({ db, clock, embedder, ...options }), clock, embedder };
}

/** The fake Ollama's similarity of two prompts: the tests assert it is above 0.92 before relying on a guard. */
const similarity = (a: string, b: string) => cosine(embedText(a, 768), embedText(b, 768));

async function storedThenAsked(cached: string, asked: string, options: Partial<CacheServiceOptions> = {}) {
  const { cache: c } = cache(options);
  await c.store(reply(ask(cached), `answer to: ${cached}`));
  return c.lookup(ask(asked));
}

describe('semantic hits', () => {
  it('serves a paraphrase above the threshold, with its similarity', async () => {
    const cached = 'how do I enable the dark mode setting in the preferences window of the app';
    const asked = 'how can I enable the dark mode setting in the preferences window of the app?';
    const { hit, reason } = await storedThenAsked(cached, asked);
    expect(hit).toMatchObject({ kind: 'semantic', text: `answer to: ${cached}`, savedTokens: 200, savedUsd: 0.002 });
    expect(hit?.similarity).toBeCloseTo(similarity(cached, asked), 5);
    expect(reason).toMatch(/^semantic match \(similarity 0\.9\d\d\)$/);
  });

  it('misses below the threshold, which can be changed at runtime', async () => {
    const { cache: c } = cache();
    const cached = 'how do I enable the dark mode setting in the preferences window of the app';
    await c.store(reply(ask(cached), 'a'));
    c.updateSettings({ threshold: 0.99 });
    const { hit, reason } = await c.lookup(ask('how can I enable the dark mode setting in the preferences window of the app?'));
    expect(hit).toBeNull();
    expect(reason).toMatch(/most similar cached prompt \(0\.9\d\d\) is below 0\.99/);
  });

  it('takes the best of the K nearest that passes the guards', async () => {
    const { cache: c } = cache();
    const asked = 'how do I retry the failed upload request 3 times with exponential backoff in the browser client';
    const closer = 'how do I retry the failed upload request 5 times with exponential backoff in the browser client';
    const further = 'how can I retry the failed upload request 3 times with exponential backoff in the browser client code';
    expect(similarity(asked, closer)).toBeGreaterThan(similarity(asked, further));
    expect(similarity(asked, further)).toBeGreaterThanOrEqual(0.92);
    await c.store(reply(ask(closer), 'five'));
    await c.store(reply(ask(further), 'three'));
    expect((await c.lookup(ask(asked))).hit).toMatchObject({ kind: 'semantic', text: 'three' });
  });
});

describe('guards: similar above 0.92 yet a different question', () => {
  const cases: Array<{ guard: RegExp; cached: string; differs: string; agrees: string }> = [
    {
      guard: /negations/,
      cached: 'how do I enable the dark mode setting in the preferences window of the app',
      differs: 'how do I not enable the dark mode setting in the preferences window of the app',
      agrees: 'how can I enable the dark mode setting in the preferences window of the app?',
    },
    {
      guard: /negations/,
      cached: 'why does the build step of my project never finish on the continuous integration server with node',
      differs: 'why does the build step of my project always finish on the continuous integration server with node',
      agrees: 'why does the build step of my project never finish on the continuous integration server with node?',
    },
    {
      guard: /numbers/,
      cached: 'how do I retry the failed upload request 3 times with exponential backoff in the browser client',
      differs: 'how do I retry the failed upload request 5 times with exponential backoff in the browser client',
      agrees: 'how can I retry the failed upload request 3 times with exponential backoff in the browser client?',
    },
    {
      guard: /identifiers/,
      cached: 'why does useEffect run twice in development mode of my react application when the page loads',
      differs: 'why does useLayoutEffect run twice in development mode of my react application when the page loads',
      agrees: 'why does useEffect run twice in development mode of my react application when the page is loading',
    },
    {
      guard: /identifiers/,
      cached: 'what does the option `max_connections` in the postgres configuration file control for the server',
      differs: 'what does the option `max_wal_senders` in the postgres configuration file control for the server',
      agrees: 'what does the option `max_connections` in the postgres configuration file control for a server',
    },
    {
      guard: /quoted strings/,
      cached: 'how do I search every file in the repository for the text "connection refused" using grep on linux',
      differs: 'how do I search every file in the repository for the text "connection reset" using grep on linux',
      agrees: 'how can I search every file in the repository for the text "connection refused" using grep on linux',
    },
    {
      guard: /code blocks/,
      cached: 'why does this python snippet raise an error when I run it from the command line\n```\nprint(items[2])\n```',
      differs: 'why does this python snippet raise an error when I run it from the command line\n```\nprint(items[3])\n```',
      agrees: 'why does this python snippet raise an error when I run it from a command line\n```\nprint(items[2])\n```',
    },
  ];

  for (const { guard, cached, differs, agrees } of cases) {
    it(`${guard.source}: "${differs.slice(0, 60)}..." misses, a paraphrase hits`, async () => {
      expect(similarity(cached, differs)).toBeGreaterThanOrEqual(0.92);
      const miss = await storedThenAsked(cached, differs);
      expect(miss.hit).toBeNull();
      expect(miss.reason).toMatch(guard);
      expect(similarity(cached, agrees)).toBeGreaterThanOrEqual(0.92);
      expect((await storedThenAsked(cached, agrees)).hit?.kind).toBe('semantic');
    });
  }
});

describe('scope: semantic hits never cross these lines', () => {
  const cached = 'how do I enable the dark mode setting in the preferences window of the app';
  const paraphrase = 'how can I enable the dark mode setting in the preferences window of the app?';

  it.each([
    ['another intent', { intent: 'code' }],
    ['another system prompt', { system: 'Answer like a pirate.' }],
    ['another model or tier', { modelKey: 'tier:smart' }],
    ['other output parameters', { params: { temperature: 0.2, maxTokens: 64 } }],
  ])('%s', async (_name, over) => {
    const { cache: c } = cache();
    await c.store(reply(ask(cached), 'a'));
    expect((await c.lookup(ask(paraphrase))).hit).not.toBeNull();
    const other = await c.lookup(ask(paraphrase, over));
    expect(other).toEqual({ hit: null, reason: 'miss: no exact match; no similar prompt cached' });
  });

  it('another conversation history before the same question', async () => {
    const { cache: c } = cache();
    await c.store(reply(ask(cached), 'a'));
    const history = [{ role: 'user' as const, content: 'I use the web version.' }, { role: 'assistant' as const, content: 'OK.' }];
    const followUp = ask(paraphrase);
    expect((await c.lookup({ ...followUp, messages: [...history, ...followUp.messages] })).hit).toBeNull();
  });

  it('another embedding model', async () => {
    const { cache: c } = cache();
    await c.store(reply(ask(cached), 'a'));
    c.setEmbedder(hashedEmbedder('mxbai-embed-large'));
    expect((await c.lookup(ask(paraphrase))).hit).toBeNull();
  });

  it('an expired entry', async () => {
    const { cache: c, clock } = cache({ settings: { ttlMs: 1000 } });
    await c.store(reply(ask(cached), 'a'));
    clock.advance(1000);
    expect((await c.lookup(ask(paraphrase))).hit).toBeNull();
  });
});

describe('embedding failures', () => {
  it('falls back to exact matching and rests before trying again', async () => {
    let down = true;
    const flaky: Embedder & { calls: number } = {
      model: 'nomic-embed-text',
      calls: 0,
      async embed(texts) {
        flaky.calls += 1;
        if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:11434');
        return texts.map((t) => embedText(t, 768));
      },
    };
    const { cache: c, clock } = cache({ embedder: flaky });
    const q = ask('how do I enable the dark mode setting in the preferences window of the app');
    expect(await c.store(reply(q, 'a'))).toMatchObject({ stored: true, semantic: false, reason: expect.stringMatching(/ECONNREFUSED/) });
    expect((await c.lookup(q)).hit?.kind).toBe('exact');
    expect(c.status()).toMatchObject({ semantic: 'unavailable', reason: expect.stringMatching(/failed .*ECONNREFUSED.*retrying in 30 s/) });
    const paraphrase = ask('how can I enable the dark mode setting in the preferences window of the app?');
    expect((await c.lookup(paraphrase)).reason).toMatch(/retrying in 30 s/);
    expect(flaky.calls).toBe(1);
    down = false;
    clock.advance(30_000);
    expect(c.status().semantic).toBe('ready');
    await c.store(reply(q, 'a'));
    expect((await c.lookup(paraphrase)).hit?.kind).toBe('semantic');
  });

  it('gives up on an embedding that takes too long', async () => {
    const hanging: Embedder = {
      model: 'nomic-embed-text',
      embed: (_texts, signal) => new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason))),
    };
    const { cache: c } = cache({ embedder: hanging, embedTimeoutMs: 30 });
    expect((await c.lookup(ask('q'))).reason).toMatch(/embedding failed: no answer within 30 ms/);
  });

  it("passes the caller's abort to the embedding request and throws cancelled", async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const slow: Embedder = {
      model: 'nomic-embed-text',
      embed: (_texts, signal) => {
        seen = signal;
        return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))));
      },
    };
    const { cache: c } = cache({ embedder: slow });
    const pending = c.lookup(ask('q', { signal: controller.signal }));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen?.aborted).toBe(true);
    expect(c.status().semantic).toBe('ready');
  });
});

describe('what is matched by meaning', () => {
  it('embeds a prompt once for the lookup and the store that follows', async () => {
    const { cache: c, embedder } = cache();
    const q = ask('how do I enable the dark mode setting in the preferences window of the app');
    await c.lookup(q);
    await c.store(reply(q, 'a'));
    expect(embedder.calls).toBe(1);
  });

  it('matches prompts longer than 4,000 characters exactly only', async () => {
    const { cache: c, embedder } = cache();
    const long = `summarise this log: ${'GET /index.html 200\n'.repeat(300)}`;
    const result = await c.store(reply(ask(long), 'a'));
    expect(result).toMatchObject({ stored: true, semantic: false, reason: expect.stringMatching(/longer than 4000 characters/) });
    expect(embedder.calls).toBe(0);
    expect((await c.lookup(ask(long))).hit?.kind).toBe('exact');
  });

  it('follows the embedder the app installs or removes', async () => {
    const { cache: c } = cache({ embedder: null });
    expect(c.status().reason).toBe('no embedding model installed: pull nomic-embed-text');
    c.setEmbedder(hashedEmbedder());
    expect(c.status()).toEqual({ enabled: true, exact: 'ready', semantic: 'ready', embeddingModel: 'nomic-embed-text' });
    c.setEmbedder(null, 'Ollama is not running: start it to match similar prompts');
    expect(c.status()).toMatchObject({ semantic: 'unavailable', reason: 'Ollama is not running: start it to match similar prompts' });
    c.updateSettings({ semanticEnabled: false });
    expect(c.status()).toMatchObject({ semantic: 'disabled' });
  });
});
