import { serializeError, type SerializedError } from '../../shared/errors';
import type { Logger } from '../logger';
import { collectReply, estimatePromptTokens, estimateTextTokens, type ChatMessage, type ModelRunner } from '../runner';
import { MemorySummaryStore, type CachedSummary, type SummaryStore } from './summary-store';

/** A stored message: the id keys the summary cache. */
export interface ConversationMessage extends ChatMessage {
  id: string;
}

export interface ContextBudgetOptions {
  runner: ModelRunner;
  /** The local summariser (`config.localModels.summariser`); read per call so Settings apply. */
  model: () => string;
  /** Seed 002 `[context] max_context_tokens = 20000`. */
  targetTokens?: number;
  /** Turns never summarised (our choice: 4, the last two exchanges). */
  keepLastTurns?: number;
  store?: SummaryStore;
  estimateTokens?: (messages: readonly ChatMessage[]) => number;
  /** Characters of transcript per summarising call; longer histories are folded in chunk by chunk. */
  chunkChars?: number;
  now?: () => number;
  logger?: Logger;
}

export interface PreparedContext {
  messages: ChatMessage[];
  summarised: boolean;
  /** The cached summary was reused: no model call. */
  fromCache: boolean;
  /** Id of the last message the summary covers. */
  summaryOf: string | null;
  tokensBefore: number;
  tokensAfter: number;
  /** Summarising failed: the oldest turns were dropped instead, and this says why. */
  error: SerializedError | null;
  dropped: number;
}

const SUMMARY_PROMPT =
  'Summarise the conversation below for an assistant that will continue it. Keep facts, decisions, names, ' +
  'file paths, code identifiers, numbers and open questions; drop pleasantries. Plain text, at most 250 words.';

/**
 * Seed 002 "Summarized Context" and "Differential Context": when a conversation passes the target,
 * its older turns are summarised by a local model into one system message. The summary is cached
 * per conversation, keyed by the last summarised message, so follow-ups send the summary and only
 * the turns after it; it is extended (not redone) when the history grows past the target again.
 */
export class ContextBudget {
  private readonly target: number;
  private readonly keep: number;
  private readonly store: SummaryStore;
  private readonly estimate: (messages: readonly ChatMessage[]) => number;
  private readonly chunkChars: number;
  private readonly now: () => number;

  constructor(private readonly options: ContextBudgetOptions) {
    this.target = options.targetTokens ?? 20_000;
    this.keep = options.keepLastTurns ?? 4;
    this.store = options.store ?? new MemorySummaryStore();
    this.estimate = options.estimateTokens ?? estimatePromptTokens;
    this.chunkChars = options.chunkChars ?? 24_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * `targetTokens` lowers the target for this request (never raises it): the router asks for it when
   * only a local model with a smaller window could answer (issue #13).
   */
  async prepare(request: { conversationId: string; messages: readonly ConversationMessage[]; signal?: AbortSignal; targetTokens?: number }): Promise<PreparedContext> {
    const target = Math.min(this.target, request.targetTokens ?? Infinity);
    const all = request.messages.map(strip);
    const tokensBefore = this.estimate(all);
    const result = (messages: ChatMessage[], extra: Partial<PreparedContext> = {}): PreparedContext => ({
      messages,
      summarised: false,
      fromCache: false,
      summaryOf: null,
      tokensBefore,
      tokensAfter: this.estimate(messages),
      error: null,
      dropped: 0,
      ...extra,
    });
    if (tokensBefore <= target) return result(all);

    let headEnd = 0;
    while (headEnd < request.messages.length && request.messages[headEnd]?.role === 'system') headEnd += 1;
    const head = all.slice(0, headEnd);
    const body = request.messages.slice(headEnd);
    const recentStart = Math.max(0, body.length - this.keep);
    const older = body.slice(0, recentStart);
    const recent = body.slice(recentStart).map(strip);
    if (older.length === 0) return result(all);
    const lastOlder = older[older.length - 1] as ConversationMessage;

    const cached = this.store.latest(request.conversationId);
    const coveredUpTo = cached ? older.findIndex((m) => m.id === cached.lastMessageId) : -1;
    if (cached && coveredUpTo !== -1) {
      const pending = older.slice(coveredUpTo + 1).map(strip);
      const candidate = [...head, summaryMessage(cached), ...pending, ...recent];
      if (pending.length === 0 || this.estimate(candidate) <= target) {
        return result(candidate, { summarised: true, fromCache: true, summaryOf: cached.lastMessageId });
      }
    }

    const base = cached && coveredUpTo !== -1 ? cached : null;
    const toFold = older.slice(base ? coveredUpTo + 1 : 0);
    const model = this.options.model();
    try {
      const summary = await this.fold(base?.summary ?? null, toFold, model, request.signal);
      const entry: CachedSummary = {
        lastMessageId: lastOlder.id,
        summary,
        summarisedCount: (base?.summarisedCount ?? 0) + toFold.length,
        tokens: estimateTextTokens(summary),
        modelId: model,
        createdAt: this.now(),
      };
      try {
        this.store.save(request.conversationId, entry);
      } catch (error) {
        // The summary is good; only the cache failed: the next turn summarises again.
        this.options.logger?.warn('a context summary could not be cached', { error, conversationId: request.conversationId });
      }
      return result([...head, summaryMessage(entry), ...recent], { summarised: true, summaryOf: entry.lastMessageId });
    } catch (error) {
      // No summary: keep the system prompt and the newest turns that fit, and say what was lost.
      const kept: ChatMessage[] = [];
      const olderPlain = older.map(strip);
      for (let i = olderPlain.length - 1; i >= 0; i -= 1) {
        const next = [...head, olderPlain[i] as ChatMessage, ...kept, ...recent];
        if (this.estimate(next) > target) break;
        kept.unshift(olderPlain[i] as ChatMessage);
      }
      return result([...head, ...kept, ...recent], { error: serializeError(error), dropped: older.length - kept.length });
    }
  }

  /** Folds messages into the running summary, one chunk of transcript per local-model call. */
  private async fold(previous: string | null, messages: readonly ConversationMessage[], model: string, signal?: AbortSignal): Promise<string> {
    let summary = previous;
    let chunk = '';
    const flush = async (): Promise<void> => {
      if (!chunk) return;
      const context = summary ? `Summary so far:\n${summary}\n\nConversation since:\n${chunk}` : `Conversation:\n${chunk}`;
      const reply = await collectReply(
        this.options.runner.stream({
          model,
          messages: [
            { role: 'system', content: SUMMARY_PROMPT },
            { role: 'user', content: context },
          ],
          options: { temperature: 0, maxTokens: 600 },
          signal,
          purpose: 'context.summary',
        }),
      );
      if (reply.error) throw reply.error;
      if (!reply.text.trim()) throw new Error(`${model} returned an empty summary`);
      summary = reply.text.trim();
      chunk = '';
    };
    for (const m of messages) {
      const line = `${m.role}: ${m.content}\n\n`;
      if (chunk && chunk.length + line.length > this.chunkChars) await flush();
      // A single message longer than a chunk is cut: its end is usually the conclusion, keep both ends.
      chunk += line.length > this.chunkChars ? `${line.slice(0, this.chunkChars / 2)}\n[…]\n${line.slice(-this.chunkChars / 2)}` : line;
    }
    await flush();
    return summary ?? '';
  }
}

/** A message as the model is sent it: role, text, and a user's images (issue #14: chat attachments; dropping them sent a vision model none). */
function strip(m: ChatMessage): ChatMessage {
  return { role: m.role, content: m.content, ...(m.images?.length ? { images: m.images } : {}) };
}

function summaryMessage(s: CachedSummary): ChatMessage {
  return { role: 'system', content: `Summary of the earlier conversation (${s.summarisedCount} messages):\n${s.summary}` };
}
