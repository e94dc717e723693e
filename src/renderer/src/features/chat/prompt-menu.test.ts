import { describe, expect, it } from 'vitest';
import { promptMatches } from './prompt-menu';

const p = (name: string, text: string) => ({ id: name, name, text, createdAt: 0 });
const LIBRARY = [p('Summarise', 'Summarise in three bullets'), p('Translate', 'Translate to French'), p('Review', 'Review this code; summarise risks')];

describe('the / prompt menu', () => {
  it('opens on a leading slash and filters by name, then by text', () => {
    expect(promptMatches('/', LIBRARY)?.map((x) => x.name)).toEqual(['Summarise', 'Translate', 'Review']);
    expect(promptMatches('/summ', LIBRARY)?.map((x) => x.name)).toEqual(['Summarise', 'Review']);
    expect(promptMatches('/zzz', LIBRARY)).toEqual([]);
  });

  it('stays closed without a slash, on a second line, or with nothing saved', () => {
    expect(promptMatches('hello /summ', LIBRARY)).toBeNull();
    expect(promptMatches('/summ\nmore', LIBRARY)).toBeNull();
    expect(promptMatches('/', [])).toBeNull();
  });
});
