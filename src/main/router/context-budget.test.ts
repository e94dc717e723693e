import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/database';
import { MIGRATIONS } from '../store/migrations';
import type { ChatMessage } from '../runner/chat-provider';
import { ContextBudget, type ConversationMessage } from './context-budget';
import { SqliteSummaryStore, type SummaryStore } from './summary-store';
import { ScriptedRunner } from './testing';

const SUMMARISER = 'ollama/qwen2.5-coder:7b';
/** One "token" per character keeps the arithmetic readable. */
const chars = (messages: readonly ChatMessage[]) => messages.reduce((n, m) => n + m.content.length, 0);

function conversation(turns: number): ConversationMessage[] {
  const out: ConversationMessage[] = [{ id: 's', role: 'system', content: 'sys' }];
  for (let i = 1; i <= turns; i += 1) out.push({ id: `m${i}`, role: i % 2 ? 'user' : 'assistant', content: `${String(i).padStart(2, '0')}`.repeat(50) });
  return out; // each turn is 100 "tokens"
}

function budget(runner: ScriptedRunner, store?: SummaryStore, target = 800) {
  return new ContextBudget({ runner, model: () => SUMMARISER, targetTokens: target, keepLastTurns: 4, estimateTokens: chars, store });
}

let db: Db | undefined;
afterEach(() => db?.close());

describe('ContextBudget (seed 002 max_context_tokens, last 4 turns kept)', () => {
  it('leaves a conversation under the target alone', async () => {
    const runner = new ScriptedRunner();
    const out = await budget(runner).prepare({ conversationId: 'c', messages: conversation(6) });
    expect(out).toMatchObject({ summarised: false, tokensBefore: 603, tokensAfter: 603 });
    expect(runner.calls).toHaveLength(0);
  });

  it('summarises older turns with the local model into one system message, never the last 4', async () => {
    const runner = new ScriptedRunner().script(SUMMARISER, { text: 'SUMMARY-A' });
    const out = await budget(runner).prepare({ conversationId: 'c', messages: conversation(10) });
    expect(out.messages.map((m) => m.content.slice(0, 12))).toEqual(['sys', 'Summary of t', '07'.repeat(6), '08'.repeat(6), '09'.repeat(6), '10'.repeat(6)]);
    expect(out.messages[1]).toEqual({ role: 'system', content: 'Summary of the earlier conversation (6 messages):\nSUMMARY-A' });
    expect(out).toMatchObject({ summarised: true, fromCache: false, summaryOf: 'm6' });
    expect(runner.calls[0]).toMatchObject({ model: SUMMARISER, purpose: 'context.summary' });
    expect(runner.calls[0]?.messages[1]?.content).toContain('user: 0101');
  });

  it('reuses the cached summary on follow-ups and sends only the turns after it', async () => {
    const runner = new ScriptedRunner().script(SUMMARISER, { text: 'SUMMARY-A' });
    const b = budget(runner);
    await b.prepare({ conversationId: 'c', messages: conversation(10) });
    const out = await b.prepare({ conversationId: 'c', messages: conversation(11) });
    expect(out).toMatchObject({ summarised: true, fromCache: true, summaryOf: 'm6' });
    expect(out.messages.map((m) => m.content.slice(0, 2))).toEqual(['sy', 'Su', '07', '08', '09', '10', '11']);
    expect(runner.calls).toHaveLength(1);
  });

  it('extends the summary (not redoes it) when the turns after it outgrow the target', async () => {
    const runner = new ScriptedRunner().script(SUMMARISER, { text: 'SUMMARY-A' }, { text: 'SUMMARY-B' });
    const b = budget(runner);
    await b.prepare({ conversationId: 'c', messages: conversation(10) });
    const out = await b.prepare({ conversationId: 'c', messages: conversation(14) });
    expect(out).toMatchObject({ fromCache: false, summaryOf: 'm10' });
    expect(out.messages[1]?.content).toBe('Summary of the earlier conversation (10 messages):\nSUMMARY-B');
    const second = runner.calls[1]?.messages[1]?.content ?? '';
    expect(second).toMatch(/^Summary so far:\nSUMMARY-A/);
    expect(second).toContain('0707');
    expect(second).not.toContain('user: 0101');
  });

  it('drops the oldest turns and says why when the summariser fails', async () => {
    const runner = new ScriptedRunner().script(SUMMARISER, { error: 'unavailable' });
    const out = await budget(runner).prepare({ conversationId: 'c', messages: conversation(10) });
    expect(out.summarised).toBe(false);
    expect(out.error?.code).toBe('unavailable');
    expect(out.tokensAfter).toBeLessThanOrEqual(800);
    expect(out.messages.at(-1)?.content.startsWith('10')).toBe(true);
    expect(out.dropped).toBe(3);
  });

  it('persists summaries in SQLite, per conversation', async () => {
    db = openDatabase(':memory:', { migrations: MIGRATIONS });
    db.prepare(`INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('c', 't', 0, 0)`).run();
    const store = new SqliteSummaryStore(db);
    const runner = new ScriptedRunner().script(SUMMARISER, { text: 'SUMMARY-A' });
    await budget(runner, store).prepare({ conversationId: 'c', messages: conversation(10) });
    expect(store.latest('c')).toMatchObject({ lastMessageId: 'm6', summary: 'SUMMARY-A', summarisedCount: 6, modelId: SUMMARISER });
    const fresh = await budget(new ScriptedRunner(), store).prepare({ conversationId: 'c', messages: conversation(11) });
    expect(fresh.fromCache).toBe(true);
    db.prepare(`DELETE FROM conversations WHERE id = 'c'`).run();
    expect(store.latest('c')).toBeUndefined();
  });

  it('keeps the summary when only the cache fails', async () => {
    const broken = {
      latest: () => undefined,
      save: () => {
        throw new Error('disk full');
      },
    };
    const runner = new ScriptedRunner().script(SUMMARISER, { text: 'SUMMARY-A' });
    const out = await budget(runner, broken).prepare({ conversationId: 'c', messages: conversation(10) });
    expect(out).toMatchObject({ summarised: true, error: null });
  });
});
