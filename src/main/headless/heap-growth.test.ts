import { describe, expect, it } from 'vitest';
import { limitHeapGrowth, SERVER_HEAP_GROWING_PERCENT } from './heap-growth';

describe('limitHeapGrowth', () => {
  it('sets the heap growing factor for the server', () => {
    const set: string[] = [];
    expect(limitHeapGrowth({ execArgv: ['--enable-source-maps'], nodeOptions: '' }, (f) => set.push(f))).toBe(true);
    expect(set).toEqual([`--heap-growing-percent=${SERVER_HEAP_GROWING_PERCENT}`]);
  });

  it("leaves the user's own heap flags alone (command line or NODE_OPTIONS)", () => {
    const set: string[] = [];
    expect(limitHeapGrowth({ execArgv: ['--heap-growing-percent=20'] }, (f) => set.push(f))).toBe(false);
    expect(limitHeapGrowth({ execArgv: [], nodeOptions: '--enable-source-maps --max-old-space-size=512' }, (f) => set.push(f))).toBe(false);
    expect(limitHeapGrowth({ execArgv: ['--max_old_space_size=512'] }, (f) => set.push(f))).toBe(false);
    expect(set).toEqual([]);
  });
});
