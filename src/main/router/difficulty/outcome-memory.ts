import type { Tier } from '../../../shared/contract';
import type { Db } from '../../store';
import { hashString, wordsOf } from './features';
import { TIER_ORDER, tierRank, type TierFloor } from './start-tier';

export const OUTCOME_KINDS = ['escalated', 'validation_failed', 'regenerated', 'edited', 'thumbs_up', 'thumbs_down'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export interface OutcomeInput {
  kind: OutcomeKind;
  /** The tier that fell short (for 👍, the tier that worked). */
  fromTier: Tier;
  /** The tier that worked (for 👎, the next tier up). */
  toTier: Tier;
  /** The request (its last user message); only its hashed n-grams are stored. */
  request: string;
  messageId?: string;
  at?: number;
}

/** Our choice: a request counts as "similar" above this cosine of word and bigram sets (near-duplicates and rephrasings). */
export const SIMILAR = 0.6;
/**
 * Our choice: with an embedding model installed, a request also counts as similar above this cosine
 * of embeddings: the same question in other words ("Why is the sky blue?" / "What makes the sky look
 * blue?"), which shares too few n-grams. Below the response cache's 0.92 (that one must be the same
 * question, answered by the same reply); above where unrelated prompts of one topic land for
 * nomic-embed-text (≈0.6–0.75), so a floor follows meaning, not subject.
 */
export const EMBEDDING_SIMILAR = 0.85;
/** How many recent outcomes are compared (newest first): the scan stays well under a millisecond. */
const RECENT = 1000;

/** How the reason names a kind of outcome: [one, several]. */
const KIND_WORDS: Record<OutcomeKind, [string, string]> = {
  escalated: ['escalated', 'escalated'],
  validation_failed: ['failed validation', 'failed validation'],
  regenerated: ['was regenerated on a stronger model', 'were regenerated on a stronger model'],
  edited: ['was edited and resent', 'were edited and resent'],
  thumbs_down: ['was rated a bad answer', 'were rated bad answers'],
  thumbs_up: ['was rated a good answer', 'were rated good answers'],
};

/** Word and bigram hashes of a request: what is stored and compared (no text). */
export function requestGrams(text: string): number[] {
  const words = wordsOf(text);
  const set = new Set<number>();
  for (let i = 0; i < words.length; i += 1) {
    set.add(hashString(words[i] as string));
    if (i > 0) set.add(hashString(`${words[i - 1] as string} ${words[i] as string}`));
  }
  return [...set].sort((a, b) => a - b);
}

/** Whether two requests are similar enough to count as one (the same measure as `floorFor`). */
export function similarRequests(a: string, b: string): boolean {
  return cosine(new Set(requestGrams(a)), requestGrams(b)) >= SIMILAR;
}

/**
 * The same request sent again, edited (an edit-and-resend label): similar, and keeping (nearly) every
 * word of the earlier one — "…ISO dates" → "…ISO dates, strictly". A new question in the same words
 * ("the capital of France?" → "the capital of Italy?") is not a resend: it drops a word that mattered.
 */
export function isResend(previous: string, current: string): boolean {
  if (!similarRequests(previous, current)) return false;
  const words = (t: string) => t.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const before = new Set(words(previous));
  if (before.size === 0) return false;
  const after = new Set(words(current));
  let kept = 0;
  for (const w of before) if (after.has(w)) kept += 1;
  return kept / before.size >= 0.9;
}

function cosine(a: ReadonlySet<number>, b: readonly number[]): number {
  if (a.size === 0 || b.length === 0) return 0;
  let shared = 0;
  for (const g of b) if (a.has(g)) shared += 1;
  return shared / Math.sqrt(a.size * b.length);
}

/**
 * Embeddings of requests, from an installed local embedding model (the response cache's: Ollama on
 * this machine, never a cloud model). `embed` gives null when none is installed or it failed.
 */
export interface RequestEmbeddings {
  model(): string | undefined;
  embed(text: string, signal?: AbortSignal): Promise<Float32Array | null>;
}

/** A request's embedding, as compared: unit length, with the model that made it. */
export interface RequestVector {
  model: string;
  vector: Float32Array;
}

export const nextTier = (t: Tier): Tier => TIER_ORDER[Math.min(TIER_ORDER.length - 1, tierRank(t) + 1)] ?? 'paid';

/**
 * What the router learns from the user (issue #11): each outcome says which tier a request needed;
 * a later similar request starts on the tier that worked. Stored in SQLite (route_outcomes),
 * never sent anywhere; `reset` forgets it all.
 */
export class OutcomeMemory {
  /** Outcome id → its request's embedding (the newest RECENT, read once): no blob reads per request. */
  private vectors: Map<number, RequestVector> | null = null;
  /** Embeddings being written after `record` (a test or shutdown can wait for them). */
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly embeddings?: RequestEmbeddings,
  ) {}

  record(o: OutcomeInput): void {
    const grams = requestGrams(o.request);
    if (grams.length === 0) return;
    const { lastInsertRowid } = this.db
      .prepare(`INSERT INTO route_outcomes (created_at, message_id, kind, from_tier, to_tier, grams) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(o.at ?? Date.now(), o.messageId ?? null, o.kind, o.fromTier, o.toTier, grams.join(' '));
    if (this.embeddings?.model()) this.track(this.attachEmbedding(Number(lastInsertRowid), o.request));
  }

  /** Waits for the embeddings still being written (tests; nothing on the request path waits). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /**
   * The request's embedding, when there is an installed embedding model and something embedded by it
   * to compare with (otherwise no embedding call is made); null otherwise.
   */
  async vectorFor(request: string, signal?: AbortSignal): Promise<RequestVector | null> {
    const model = this.embeddings?.model();
    if (!model || request.trim() === '' || ![...this.loadVectors().values()].some((v) => v.model === model)) return null;
    try {
      const vector = await this.embeddings?.embed(request, signal);
      return vector ? { model, vector: unit(vector) } : null;
    } catch (error) {
      if (signal?.aborted) throw error;
      return null;
    }
  }

  /**
   * The tier similar earlier requests needed, with why, or null when they say nothing. Similar: the
   * same words (n-gram cosine), or — given the request's embedding — the same meaning.
   */
  floorFor(request: string, embedded?: RequestVector | null): TierFloor | null {
    const mine = new Set(requestGrams(request));
    if (mine.size === 0) return null;
    const rows = this.db.prepare(`SELECT id, kind, from_tier, to_tier, grams FROM route_outcomes ORDER BY id DESC LIMIT ?`).all(RECENT) as Array<{ id: number; kind: OutcomeKind; from_tier: Tier; to_tier: Tier; grams: string }>;
    const vectors = embedded ? this.loadVectors() : null;
    const near = (id: number): boolean => {
      const other = vectors?.get(id);
      return !!embedded && !!other && other.model === embedded.model && dot(other.vector, embedded.vector) >= EMBEDDING_SIMILAR;
    };
    const similar = rows.filter((r) => cosine(mine, r.grams.split(' ').map(Number)) >= SIMILAR || near(r.id));
    const lifts = similar.filter((r) => r.kind !== 'thumbs_up' && tierRank(r.to_tier) > tierRank(r.from_tier));
    if (lifts.length === 0) return null;
    // The tier most of them needed (the lower one on a tie: the cheaper start that still worked).
    const votes = new Map<Tier, number>();
    for (const r of lifts) votes.set(r.to_tier, (votes.get(r.to_tier) ?? 0) + 1);
    const [tier] = [...votes].sort((a, b) => b[1] - a[1] || tierRank(a[0]) - tierRank(b[0]))[0] as [Tier, number];
    // A 👍 below that tier on a similar request is evidence the other way.
    const worked = similar.filter((r) => r.kind === 'thumbs_up' && tierRank(r.to_tier) < tierRank(tier)).length;
    if (worked >= lifts.length) return null;
    const from = mostCommon(lifts.map((r) => r.from_tier));
    const kinds = new Set(lifts.map((r) => r.kind));
    const n = lifts.length;
    const verb = kinds.size === 1 ? KIND_WORDS[lifts[0]?.kind ?? 'escalated'][n === 1 ? 0 : 1] : 'fell short';
    return { tier, reason: `${n} similar request${n === 1 ? '' : 's'} ${verb}${verb === 'escalated' || verb === 'fell short' ? ` from ${from}` : ` on ${from}`}` };
  }

  count(): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM route_outcomes`).get() as { n: number }).n;
  }

  /** Forgets everything learnt (Settings → Routing → Forget what routing learnt). */
  reset(): number {
    this.vectors?.clear();
    return this.db.prepare(`DELETE FROM route_outcomes`).run().changes;
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** Embeds a just-recorded request and stores the vector beside its row (best effort: n-grams still work). */
  private async attachEmbedding(id: number, request: string): Promise<void> {
    const model = this.embeddings?.model();
    if (!model) return;
    let vector: Float32Array | null;
    try {
      vector = (await this.embeddings?.embed(request)) ?? null;
    } catch {
      vector = null;
    }
    if (!vector) return;
    const v = unit(vector);
    // The row may have been forgotten (reset, or its message deleted) while the model was embedding.
    const changed = this.db
      .prepare(`UPDATE route_outcomes SET embedding = ?, embedding_model = ? WHERE id = ?`)
      .run(Buffer.from(v.buffer, v.byteOffset, v.byteLength), model, id).changes;
    if (changed > 0) {
      const vectors = this.loadVectors();
      vectors.set(id, { model, vector: v });
      // Only the newest RECENT are ever compared: the oldest (first inserted) goes.
      if (vectors.size > RECENT) vectors.delete(Math.min(...vectors.keys()));
    }
  }

  private loadVectors(): Map<number, RequestVector> {
    if (this.vectors) return this.vectors;
    const rows = this.db
      .prepare(`SELECT id, embedding, embedding_model FROM route_outcomes WHERE embedding IS NOT NULL ORDER BY id DESC LIMIT ?`)
      .all(RECENT) as Array<{ id: number; embedding: Buffer; embedding_model: string }>;
    this.vectors = new Map();
    for (const r of rows) {
      const copy = new Float32Array(r.embedding.byteLength / 4);
      new Uint8Array(copy.buffer).set(r.embedding);
      this.vectors.set(r.id, { model: r.embedding_model, vector: copy });
    }
    return this.vectors;
  }

  /**
   * 👍 / 👎 on a reply answered on `tier`: the request is the user turn before it. Returns whether
   * anything was learnt (false when the reply has no user turn before it, or 👎 on the top tier).
   */
  feedback(messageId: string, verdict: 'good' | 'bad', tier: Tier): boolean {
    const request = this.requestBefore(messageId);
    this.clearVerdict(messageId);
    if (request === null) return false;
    if (verdict === 'bad' && tier === 'paid') return false;
    this.record({ kind: verdict === 'good' ? 'thumbs_up' : 'thumbs_down', fromTier: tier, toTier: verdict === 'good' ? tier : nextTier(tier), request, messageId });
    return true;
  }

  /**
   * The user turn a reply answered: the nearest user message up its branch (issue #14's versions: a
   * regenerated reply's parent, not whichever user message was written last), or, for a message
   * stored without a parent, the nearest user message before it.
   */
  requestBefore(messageId: string): string | null {
    const onBranch = this.db
      .prepare(
        `WITH RECURSIVE up(id, parent_id, role, content, depth) AS (
           SELECT p.id, p.parent_id, p.role, p.content, 0 FROM messages a JOIN messages p ON p.id = a.parent_id WHERE a.id = ?
           UNION ALL
           SELECT p.id, p.parent_id, p.role, p.content, up.depth + 1 FROM messages p JOIN up ON p.id = up.parent_id
           WHERE up.role <> 'user' AND up.depth < 10000
         )
         SELECT content FROM up WHERE role = 'user' ORDER BY depth LIMIT 1`,
      )
      .get(messageId) as { content: string } | undefined;
    if (onBranch) return onBranch.content;
    const row = this.db
      .prepare(
        `SELECT u.content AS content FROM messages a JOIN messages u ON u.conversation_id = a.conversation_id
         WHERE a.id = ? AND a.parent_id IS NULL AND u.role = 'user' AND u.seq < a.seq ORDER BY u.seq DESC LIMIT 1`,
      )
      .get(messageId) as { content: string } | undefined;
    return row?.content ?? null;
  }

  /** The verdict given on a reply (👍 / 👎), if any. */
  verdictOf(messageId: string): 'good' | 'bad' | null {
    const row = this.db.prepare(`SELECT kind FROM route_outcomes WHERE message_id = ? AND kind IN ('thumbs_up','thumbs_down') ORDER BY id DESC LIMIT 1`).get(messageId) as { kind: OutcomeKind } | undefined;
    return row ? (row.kind === 'thumbs_up' ? 'good' : 'bad') : null;
  }

  /** Replaces an earlier verdict on the same reply (a changed mind is one vote, not two). */
  clearVerdict(messageId: string): void {
    this.db.prepare(`DELETE FROM route_outcomes WHERE message_id = ? AND kind IN ('thumbs_up','thumbs_down')`).run(messageId);
  }
}

function unit(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  return norm === 0 ? v : v.map((x) => x / norm);
}

function dot(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i += 1) s += (a[i] as number) * (b[i] as number);
  return s;
}

function mostCommon<T>(xs: readonly T[]): T {
  const counts = new Map<T, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return ([...counts].sort((a, b) => b[1] - a[1])[0] as [T, number])[0];
}
