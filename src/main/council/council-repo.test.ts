import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, openDatabase, type Db } from '../store';
import { CouncilRepo } from './council-repo';
import { toPerformanceEntry } from './performance-log';
import { seededRandom } from './random';
import { runCouncil } from './run-council';
import { ScriptedRunner } from './scripted-runner';

let db: Db;
afterEach(() => db?.close());
const open = (): Db => (db = openDatabase(':memory:', { migrations: MIGRATIONS }));

const vote = (verdict: string, ms: number) => ({ text: JSON.stringify({ verdict, reason: `${verdict}!` }), firstTokenMs: ms });

describe('CouncilRepo', () => {
  it('stores a synthesis run and reads back the same record', async () => {
    const repo = new CouncilRepo(open());
    const answer = (i: number) => (req: { purpose?: string; messages: Array<{ content: string }> }) =>
      req.purpose === 'council.review'
        ? JSON.stringify({ ranking: [...req.messages[1]!.content.matchAll(/### Answer ([A-Z])/g)].map((m) => m[1]), reasons: 'fine' })
        : `answer ${i}`;
    const runner = ScriptedRunner.byModel({ a: answer(1), b: answer(2), c: answer(3), d: { text: 'late', firstTokenMs: 5000 } });
    const record = await runCouncil({ question: 'q', models: ['a', 'b', 'c', 'd'], minResponses: 3, pool: 'balanced', runner, mode: 'synthesis', random: seededRandom(1), costOf: () => 0.01 });
    repo.save(record);
    expect(repo.get(record.id)).toEqual(record);
    expect(repo.list()).toEqual([expect.objectContaining({ id: record.id, mode: 'synthesis', status: 'completed' })]);
    const rows = db.prepare('SELECT stage, model, status FROM council_responses WHERE run_id = ? ORDER BY seq').all(record.id);
    expect(rows).toContainEqual({ stage: 'generation', model: 'd', status: 'cut-off' });
    expect(rows.filter((r) => (r as { stage: string }).stage === 'review')).toHaveLength(3);
    expect(repo.delete(record.id)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM council_responses').get()).toEqual({ n: 0 });
  });

  it('exports consensus runs in the llm-performance.json shape of seed 000', async () => {
    const repo = new CouncilRepo(open());
    const runner = ScriptedRunner.byModel({ grok: vote('approve', 5), gemini: vote('approve', 10), slow: vote('reject', 5000) });
    const record = await runCouncil({ question: 'API rate limit review', models: ['grok', 'gemini', 'slow'], minResponses: 2, pool: 'quick', runner, mode: 'consensus' });
    repo.save(record);
    const [entry] = repo.exportPerformance();
    expect(entry).toEqual(toPerformanceEntry(record));
    expect(entry).toMatchObject({
      task: 'API rate limit review',
      models: ['grok', 'gemini', 'slow'],
      votes: { grok: 'APPROVE', gemini: 'APPROVE' },
      verdict: 'UNANIMOUS_APPROVE',
      status: { grok: 'answered', gemini: 'answered', slow: 'cut-off' },
    });
    expect(Object.keys(entry!.latency_ms)).toEqual(['grok', 'gemini']);
    expect(entry!.stopped_after_ms.slow).toBeLessThan(5000);
    expect(new Date(entry!.timestamp).getTime()).toBe(record.startedAt);
  });
});
