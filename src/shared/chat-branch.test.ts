import { describe, expect, it } from 'vitest';
import { pathTo, versionPosition, visibleBranch, type BranchNode } from './chat-branch';

const m = (id: string, parentId: string | null, active = true): BranchNode => ({ id, parentId, active });

describe('chat branches', () => {
  // u1 → a1 → u2 → a2 (shown), with u2' (an edit, hidden) → a2'; a1 has a hidden regenerate a1'.
  const tree = [m('u1', null), m('a1', 'u1'), m('u2', 'a1', true), m('a2', 'u2'), m('u2b', 'a1', false), m('a2b', 'u2b'), m('a1b', 'u1', false)];

  it('shows the active version at each turn, root to leaf', () => {
    expect(visibleBranch(tree).map((x) => x.id)).toEqual(['u1', 'a1', 'u2', 'a2']);
    const edited = tree.map((x) => (x.id === 'u2' ? { ...x, active: false } : x.id === 'u2b' ? { ...x, active: true } : x));
    expect(visibleBranch(edited).map((x) => x.id)).toEqual(['u1', 'a1', 'u2b', 'a2b']);
  });

  it('the context of a reply is the path above it, no other version', () => {
    expect(pathTo(tree, 'u2b').map((x) => x.id)).toEqual(['u1', 'a1', 'u2b']);
    expect(pathTo(tree, null)).toEqual([]);
  });

  it('says "2 / 2" with its neighbours', () => {
    expect(versionPosition(tree, 'u2b')).toEqual({ index: 2, count: 2, previousId: 'u2', nextId: null });
    expect(versionPosition(tree, 'a1')).toEqual({ index: 1, count: 2, previousId: null, nextId: 'a1b' });
    expect(versionPosition(tree, 'a2')).toEqual({ index: 1, count: 1, previousId: null, nextId: null });
    expect(versionPosition(tree, 'nope')).toBeNull();
  });

  it('messages from before versions (no parentId) are one straight line', () => {
    const old = [{ id: 'x' }, { id: 'y' }, { id: 'z' }];
    expect(visibleBranch(old).map((x) => x.id)).toEqual(['x', 'y', 'z']);
    expect(pathTo(old, 'y').map((x) => x.id)).toEqual(['x', 'y']);
  });

  it('with no version marked active, the newest is shown', () => {
    expect(visibleBranch([m('a', null, false), m('b', null, false)]).map((x) => x.id)).toEqual(['b']);
  });
});
