import { describe, expect, it } from 'vitest';
import { rankFiles, type SymbolGraph } from './rank';

function graph(defs: Record<string, string[]>, refs: Record<string, Record<string, number>>): SymbolGraph {
  const files = new Set<string>();
  const defines = new Map<string, Set<string>>();
  for (const [file, names] of Object.entries(defs)) {
    files.add(file);
    for (const n of names) (defines.get(n) ?? defines.set(n, new Set()).get(n)!).add(file);
  }
  const references = new Map<string, Map<string, number>>();
  for (const [file, names] of Object.entries(refs)) {
    files.add(file);
    for (const [n, count] of Object.entries(names)) (references.get(n) ?? references.set(n, new Map()).get(n)!).set(file, count);
  }
  return { files: [...files].sort(), defines, references };
}

const none = { mentionedFiles: new Set<string>(), mentionedIdents: new Set<string>(), chatFiles: new Set<string>() };

describe('rankFiles (PageRank over the reference graph, as Aider)', () => {
  const g = graph(
    { 'a.ts': ['runJob'], 'b.ts': ['JobQueue'], 'c.ts': ['formatDate'], 'd.ts': ['unusedThing'], 'util.ts': ['log'] },
    { 'a.ts': { JobQueue: 3, log: 1 }, 'b.ts': { log: 2 }, 'c.ts': { log: 1 }, 'd.ts': {} },
  );

  it('a file many others reference ranks high without any mention', () => {
    expect(rankFiles(g, none).files[0]!.path).toBe('util.ts');
  });

  it('personalised toward a mentioned name: its file and the file it references outrank unrelated files', () => {
    const ranked = rankFiles(g, { ...none, mentionedIdents: new Set(['runJob']) }).files.map((f) => f.path);
    expect(ranked.indexOf('a.ts')).toBeLessThan(ranked.indexOf('c.ts'));
    expect(ranked.indexOf('b.ts')).toBeLessThan(ranked.indexOf('c.ts'));
    expect(ranked.indexOf('b.ts')).toBeLessThan(ranked.indexOf('d.ts'));
  });

  it("ranks definitions by the rank flowing into them, and lists the mentioned files' neighbours both ways", () => {
    const r = rankFiles(g, { ...none, mentionedFiles: new Set(['a.ts']) });
    expect(r.definitions[0]).toMatchObject({ path: 'b.ts', name: 'JobQueue' });
    expect([...(r.neighbours.get('a.ts') ?? [])].sort()).toEqual(['b.ts', 'util.ts']);
    const used = rankFiles(g, { ...none, mentionedFiles: new Set(['util.ts']) });
    expect([...(used.neighbours.get('util.ts') ?? [])].sort()).toEqual(['a.ts', 'b.ts', 'c.ts']);
    expect(r.neighbours.get('d.ts')).toBeUndefined();
  });

  it('an empty workspace ranks nothing and does not fail', () => {
    expect(rankFiles(graph({}, {}), none)).toMatchObject({ files: [], definitions: [] });
  });
});
