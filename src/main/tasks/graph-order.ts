/** Graph helpers over `{ id, dependsOn }` lists: cycles, order, descendants, longest paths. */
export interface GraphNode {
  id: string;
  dependsOn: readonly string[];
}

/**
 * Every distinct cycle reachable by a depth-first walk, as id paths that end where they start
 * (`a → b → c → a`). Unknown dependencies are ignored here (they are reported apart).
 */
export function findCycles(nodes: readonly GraphNode[], limit = 3): string[][] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (id: string): void => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(dep) || cycles.length >= limit) continue;
      if (state.get(dep) === 'visiting') {
        // The path runs task → dependency; print it in dependency order, as "a needs b needs … a".
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        const key = [...new Set(cycle)].sort().join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const n of nodes) if (!state.has(n.id)) visit(n.id);
  return cycles;
}

/** Kahn's order (dependencies first), stable in the given order. Assumes no cycles. */
export function topologicalOrder<N extends GraphNode>(nodes: readonly N[]): N[] {
  const indegree = new Map(nodes.map((n) => [n.id, n.dependsOn.filter((d) => nodes.some((m) => m.id === d)).length]));
  const out: N[] = [];
  const done = new Set<string>();
  while (out.length < nodes.length) {
    const next = nodes.find((n) => !done.has(n.id) && indegree.get(n.id) === 0);
    if (!next) break;
    out.push(next);
    done.add(next.id);
    for (const n of nodes) if (n.dependsOn.includes(next.id)) indegree.set(n.id, (indegree.get(n.id) ?? 1) - 1);
  }
  return out;
}

/** The ids that depend on `id`, directly or not. */
export function descendantsOf(nodes: readonly GraphNode[], id: string): Set<string> {
  const out = new Set<string>();
  const queue = [id];
  while (queue.length) {
    const current = queue.shift() as string;
    for (const n of nodes) {
      if (n.dependsOn.includes(current) && !out.has(n.id)) {
        out.add(n.id);
        queue.push(n.id);
      }
    }
  }
  return out;
}

/**
 * The heaviest dependency chain, where each node weighs `weight(node)`: the chain's ids in order
 * (first to run first) and its total. Used for the critical path (weights = actual durations) and
 * for scheduling priority (weights = estimated effort of the work still downstream).
 */
export function heaviestChain<N extends GraphNode>(nodes: readonly N[], weight: (node: N) => number): { ids: string[]; total: number } {
  const finish = new Map<string, { total: number; via: string | null }>();
  for (const n of topologicalOrder(nodes)) {
    let best: { total: number; via: string | null } = { total: 0, via: null };
    for (const dep of n.dependsOn) {
      const f = finish.get(dep);
      if (f && f.total > best.total) best = { total: f.total, via: dep };
    }
    finish.set(n.id, { total: best.total + weight(n), via: best.via });
  }
  let end: string | null = null;
  let total = 0;
  for (const [id, f] of finish) {
    if (end === null || f.total > total) {
      end = id;
      total = f.total;
    }
  }
  const ids: string[] = [];
  for (let at = end; at !== null; at = finish.get(at)?.via ?? null) ids.unshift(at);
  return { ids, total };
}

/** For each node, the heaviest chain that starts at it and runs through its dependents. */
export function downstreamWeight<N extends GraphNode>(nodes: readonly N[], weight: (node: N) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of [...topologicalOrder(nodes)].reverse()) {
    const after = nodes.filter((m) => m.dependsOn.includes(n.id)).reduce((max, m) => Math.max(max, out.get(m.id) ?? 0), 0);
    out.set(n.id, weight(n) + after);
  }
  return out;
}
