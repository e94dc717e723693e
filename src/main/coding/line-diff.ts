/**
 * A line diff (Myers' O((N+M)·D) algorithm) and unified-diff hunks for the edit review (issue #12):
 * the UI shows each file's hunks and the user accepts or rejects each one; `selectHunks` rebuilds
 * the file from the original with only the accepted hunks applied.
 */
export type DiffOp = { kind: 'same' | 'del' | 'add'; line: string };

export interface DiffHunk {
  /** 1-based, as in a unified diff header. */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** ' ', '-' or '+' then the line (no newline). */
  lines: string[];
}

const CONTEXT = 3;

/** Splits text into lines, keeping the knowledge of a final newline out of the way ("a\n" → ["a"]). */
export function toLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The shortest edit script from `a` to `b`. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)) ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from (n, m).
  const ops: DiffOp[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (vd[offset + k - 1] ?? 0) < (vd[offset + k + 1] ?? 0));
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : (vd[offset + prevK] ?? 0);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: 'same', line: a[x - 1] as string });
      x--;
      y--;
    }
    if (d === 0) break;
    if (down) ops.push({ kind: 'add', line: b[y - 1] as string });
    else ops.push({ kind: 'del', line: a[x - 1] as string });
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

interface OpRun {
  /** Index of the first op of the hunk's changes, and one past the last change. */
  from: number;
  to: number;
}

/** The runs of changed ops, merged when fewer than 2×CONTEXT unchanged lines separate them. */
function changeRuns(ops: readonly DiffOp[]): OpRun[] {
  const runs: OpRun[] = [];
  for (let i = 0; i < ops.length; i++) {
    if (ops[i]?.kind === 'same') continue;
    let j = i;
    while (j < ops.length && ops[j]?.kind !== 'same') j++;
    const last = runs[runs.length - 1];
    if (last && i - last.to <= 2 * CONTEXT) last.to = j;
    else runs.push({ from: i, to: j });
    i = j - 1;
  }
  return runs;
}

/** Unified-diff hunks (three lines of context) between two texts. */
export function diffHunks(before: string, after: string): DiffHunk[] {
  const ops = diffLines(toLines(before), toLines(after));
  // Line numbers before each op.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 1;
  let nw = 1;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(nw);
    if (op.kind !== 'add') o++;
    if (op.kind !== 'del') nw++;
  }
  return changeRuns(ops).map((run) => {
    const start = Math.max(0, run.from - CONTEXT);
    const end = Math.min(ops.length, run.to + CONTEXT);
    const slice = ops.slice(start, end);
    const oldLines = slice.filter((op) => op.kind !== 'add').length;
    const newLines = slice.filter((op) => op.kind !== 'del').length;
    const oldStart = start < ops.length ? (oldAt[start] as number) : o;
    const newStart = start < ops.length ? (newAt[start] as number) : nw;
    return {
      // A unified diff numbers an empty side from the line before it.
      oldStart: oldLines === 0 ? oldStart - 1 : oldStart,
      oldLines,
      newStart: newLines === 0 ? newStart - 1 : newStart,
      newLines,
      lines: slice.map((op) => `${op.kind === 'same' ? ' ' : op.kind === 'del' ? '-' : '+'}${op.line}`),
    };
  });
}

/**
 * The file with only the accepted hunks applied to `before` (`accepted[i]` for hunk i of
 * `diffHunks(before, after)`); the trailing newline follows `after` when its last hunk is accepted.
 */
export function selectHunks(before: string, after: string, accepted: readonly boolean[]): string {
  const ops = diffLines(toLines(before), toLines(after));
  const runs = changeRuns(ops);
  const out: string[] = [];
  let run = 0;
  for (let i = 0; i < ops.length; i++) {
    while (run < runs.length && i >= (runs[run] as OpRun).to) run++;
    const op = ops[i] as DiffOp;
    const inRun = run < runs.length && i >= (runs[run] as OpRun).from;
    const take = inRun ? accepted[run] === true : true;
    if (op.kind === 'same') out.push(op.line);
    else if (op.kind === 'del' && !take) out.push(op.line);
    else if (op.kind === 'add' && take) out.push(op.line);
  }
  // No line hunk (only the final newline differs): nothing can be rejected line by line.
  if (runs.length === 0) return after;
  if (out.length === 0) return '';
  const allAccepted = runs.length > 0 && runs.every((_, i) => accepted[i] === true);
  const noneAccepted = runs.every((_, i) => accepted[i] !== true);
  if (allAccepted) return after;
  if (noneAccepted) return before;
  const endsWithNewline = after === '' ? before.endsWith('\n') : after.endsWith('\n');
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}

/** A unified diff text of one file (for logs, the CLI and the attempt record). */
export function unifiedDiff(path: string, before: string | null, after: string | null): string {
  const hunks = diffHunks(before ?? '', after ?? '');
  if (hunks.length === 0) return '';
  const head = `--- ${before === null ? '/dev/null' : `a/${path}`}\n+++ ${after === null ? '/dev/null' : `b/${path}`}\n`;
  return head + hunks.map((h) => `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\n${h.lines.join('\n')}\n`).join('');
}
