import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store';
import { CodingRepo, KEPT_REVIEWS } from './coding-repo';

let db: Db;
let repo: CodingRepo;
beforeEach(() => {
  db = openDatabase(':memory:');
  repo = new CodingRepo(db);
});
afterEach(() => db.close());

function passedRun(id: string, createdAt: number): void {
  repo.createRun({ id, root: '/repo', task: 't', createdAt });
  repo.finishRun(id, {
    status: 'passed', finishedAt: createdAt + 1, filesChanged: ['a.ts', 'new.ts'], contextFiles: [], totalCostUsd: 0, warnings: ['w'], createdDirs: ['/repo/dir'],
    files: [
      { path: 'a.ts', before: Buffer.from('a\n'), mode: 0o644, after: 'b\n', current: 'b\n', decisions: ['pending'] },
      { path: 'new.ts', before: null, mode: null, after: 'n\n', current: 'n\n', decisions: ['pending'] },
    ],
  });
}

describe('coding review state (migration 021)', () => {
  it('keeps a run\'s files, bytes before, decisions, folders and warnings; a review and undo are stored', () => {
    passedRun('r1', 1);
    expect(repo.review('r1')).toEqual({
      files: [
        { path: 'a.ts', before: Buffer.from('a\n'), mode: 0o644, after: 'b\n', current: 'b\n', decisions: ['pending'] },
        { path: 'new.ts', before: null, mode: null, after: 'n\n', current: 'n\n', decisions: ['pending'] },
      ],
      createdDirs: ['/repo/dir'], undone: false, lost: false,
    });
    repo.saveReviewedFile('r1', { path: 'new.ts', current: null, decisions: ['rejected'] });
    expect(repo.review('r1')?.files[1]).toMatchObject({ current: null, decisions: ['rejected'] });
    repo.markUndone('r1');
    expect(repo.review('r1')?.undone).toBe(true);
    expect(repo.getRun('r1')).toMatchObject({ undone: true, warnings: ['w'] });
    expect(repo.latestRunId()).toBe('r1');
  });

  it(`keeps the bytes of the newest ${KEPT_REVIEWS} runs only; an older one says its state is lost`, () => {
    for (let i = 0; i <= KEPT_REVIEWS; i++) passedRun(`r${i}`, i);
    expect(repo.review('r0')).toMatchObject({ files: [], lost: true });
    expect(repo.review('r1')).toMatchObject({ lost: false });
    expect(repo.review(`r${KEPT_REVIEWS}`)?.files).toHaveLength(2);
    expect(repo.latestRunId()).toBe(`r${KEPT_REVIEWS}`);
    expect(repo.review('missing')).toBeNull();
  });
});
