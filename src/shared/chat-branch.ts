/**
 * Message versions as branches (issue #14). A message follows its parent; messages with the same
 * parent are versions of one turn (an edited question, a regenerated answer), in the order they were
 * written, and `active` marks the one shown. The visible branch starts at the active root and follows
 * the active child down to a leaf; a new message continues from that leaf. The context a model is
 * sent for a reply is the path from the root to the reply's parent: exactly what the user sees above it.
 * Pure, so the main process (context) and the renderer (what is shown) read the tree the same way.
 */
export interface BranchNode {
  id: string;
  /** Absent only on messages from before versions existed: then the list is one straight line. */
  parentId?: string | null;
  active?: boolean;
}

export interface VersionPosition {
  /** 1-based position among the versions of this turn. */
  index: number;
  count: number;
  previousId: string | null;
  nextId: string | null;
}

function parentOf<T extends BranchNode>(list: readonly T[], i: number): string | null {
  const m = list[i]!;
  if (m.parentId !== undefined) return m.parentId;
  return i > 0 ? list[i - 1]!.id : null;
}

function childrenIndex<T extends BranchNode>(all: readonly T[]): Map<string | null, T[]> {
  const children = new Map<string | null, T[]>();
  all.forEach((m, i) => {
    const parent = parentOf(all, i);
    const list = children.get(parent);
    if (list) list.push(m);
    else children.set(parent, [m]);
  });
  return children;
}

function shown<T extends BranchNode>(siblings: readonly T[]): T | undefined {
  for (let i = siblings.length - 1; i >= 0; i--) if (siblings[i]!.active !== false) return siblings[i];
  return siblings.at(-1);
}

/** The messages shown, root to leaf. `all` is every message of the conversation in the order written. */
export function visibleBranch<T extends BranchNode>(all: readonly T[]): T[] {
  const children = childrenIndex(all);
  const branch: T[] = [];
  const seen = new Set<string>();
  let next = shown(children.get(null) ?? []);
  while (next && !seen.has(next.id)) {
    branch.push(next);
    seen.add(next.id);
    next = shown(children.get(next.id) ?? []);
  }
  return branch;
}

/** The path from the root down to `id` (inclusive): the context of whatever follows `id`. */
export function pathTo<T extends BranchNode>(all: readonly T[], id: string | null): T[] {
  if (id === null) return [];
  const byId = new Map(all.map((m, i) => [m.id, { m, parent: parentOf(all, i) }]));
  const path: T[] = [];
  let at: string | null = id;
  while (at !== null && byId.has(at) && path.length <= all.length) {
    const node: { m: T; parent: string | null } = byId.get(at)!;
    path.push(node.m);
    at = node.parent;
  }
  return path.reverse();
}

/** Where `id` stands among the versions of its turn ("2 / 3"), with its neighbours. */
export function versionPosition<T extends BranchNode>(all: readonly T[], id: string): VersionPosition | null {
  const i = all.findIndex((m) => m.id === id);
  if (i === -1) return null;
  const siblings = childrenIndex(all).get(parentOf(all, i)) ?? [];
  const at = siblings.findIndex((m) => m.id === id);
  return {
    index: at + 1,
    count: siblings.length,
    previousId: at > 0 ? siblings[at - 1]!.id : null,
    nextId: at < siblings.length - 1 ? siblings[at + 1]!.id : null,
  };
}
