/**
 * Tool output → diagnostics {file, line, column?, message} (issue #12): tsc, eslint (stylish and
 * unix), vitest, pytest, ruff/flake8, go and cargo formats. Unrecognised output yields none; the
 * step's trimmed output still goes back to the model.
 */
export interface Diagnostic {
  /** Workspace-relative when the tool printed a path inside it. */
  file: string;
  line: number;
  column?: number;
  message: string;
  /** Which step found it: syntax, build, test or lint. */
  source?: string;
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes some tools print even with NO_COLOR
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
const MAX_DIAGNOSTICS = 50;

function relative(file: string, root: string | undefined): string {
  let f = file.trim().replace(/\\/g, '/');
  if (root) {
    const r = root.replace(/\\/g, '/').replace(/\/$/, '');
    if (f.startsWith(r + '/')) f = f.slice(r.length + 1);
  }
  return f.replace(/^\.\//, '');
}

/** Diagnostics found in a command's output, deduplicated, at most 50. */
export function parseDiagnostics(output: string, root?: string): Diagnostic[] {
  const lines = output.replace(ANSI, '').replace(/\r\n/g, '\n').split('\n');
  const found: Diagnostic[] = [];
  const seen = new Set<string>();
  const add = (d: Diagnostic): void => {
    const key = `${d.file}:${d.line}:${d.column ?? ''}:${d.message}`;
    if (seen.has(key) || found.length >= MAX_DIAGNOSTICS) return;
    seen.add(key);
    found.push(d);
  };
  let stylishFile: string | null = null;
  let cargoMessage: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    let m: RegExpExecArray | null;
    // tsc: src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.
    if ((m = /^(.+?)\((\d+),(\d+)\): (?:error|warning) (TS\d+: .+)$/.exec(line))) {
      add({ file: relative(m[1] as string, root), line: Number(m[2]), column: Number(m[3]), message: m[4] as string });
      continue;
    }
    // tsc --pretty: src/a.ts:3:7 - error TS2322: …
    if ((m = /^(.+?):(\d+):(\d+) - (?:error|warning) (TS\d+: .+)$/.exec(line))) {
      add({ file: relative(m[1] as string, root), line: Number(m[2]), column: Number(m[3]), message: m[4] as string });
      continue;
    }
    // cargo/rustc: "error[E0308]: mismatched types" then "  --> src/main.rs:4:5"
    if ((m = /^(error|warning)(\[\w+\])?: (.+)$/.exec(line))) {
      cargoMessage = `${m[1]}${m[2] ?? ''}: ${m[3]}`;
      continue;
    }
    if ((m = /^\s*--> (.+?):(\d+):(\d+)$/.exec(line)) && cargoMessage) {
      add({ file: relative(m[1] as string, root), line: Number(m[2]), column: Number(m[3]), message: cargoMessage });
      cargoMessage = null;
      continue;
    }
    // eslint stylish: a path line, then "  3:7  error  'x' is assigned a value but never used  no-unused-vars"
    if ((m = /^\s+(\d+):(\d+)\s+(error|warning)\s+(.+?)(?:\s{2,}(\S+))?$/.exec(line)) && stylishFile) {
      add({ file: relative(stylishFile, root), line: Number(m[1]), column: Number(m[2]), message: `${m[4]}${m[5] ? ` (${m[5]})` : ''}` });
      continue;
    }
    if (/^(\/|\.{0,2}\/?[\w@.-]+\/)?[\w@./-]+\.[A-Za-z]{1,5}$/.test(line.trim()) && !line.startsWith(' ') && line.trim() !== '') {
      stylishFile = line.trim();
      continue;
    }
    // vitest: "❯ test/a.test.ts:12:15" under a failing test; "FAIL  test/a.test.ts > adds > works"
    if ((m = /^\s*(?:❯|at .*\()\s*(.+?\.[cm]?[jt]sx?):(\d+):(\d+)\)?$/.exec(line)) && !/node_modules/.test(m[1] as string)) {
      const failure = nearestFailure(lines, i);
      add({ file: relative(m[1] as string, root), line: Number(m[2]), column: Number(m[3]), message: failure });
      continue;
    }
    // pytest short summary: "FAILED tests/test_calc.py::test_add - assert 3 == 4"
    if ((m = /^FAILED (.+?\.py)::(\S+)(?: - (.+))?$/.exec(line))) {
      const where = pytestLine(lines, m[1] as string);
      add({ file: relative(m[1] as string, root), line: where, message: `${m[2]} failed${m[3] ? `: ${m[3]}` : ''}` });
      continue;
    }
    // go: ./main.go:12:3: undefined: x   ruff/flake8/eslint-unix: a.py:3:1: F401 `os` imported but unused
    if ((m = /^(.+?\.\w{1,5}):(\d+):(?:(\d+):)? (.+)$/.exec(line)) && !/^\s/.test(line) && !/^https?:/.test(line)) {
      add({ file: relative(m[1] as string, root), line: Number(m[2]), column: m[3] ? Number(m[3]) : undefined, message: (m[4] as string).trim() });
    }
  }
  return found;
}

/** The assertion line vitest printed above a "❯ file:line:col" frame. */
function nearestFailure(lines: readonly string[], at: number): string {
  for (let i = at - 1; i >= Math.max(0, at - 30); i--) {
    const l = (lines[i] ?? '').trim();
    if (/^(AssertionError|Error|TypeError|ReferenceError|expected )/.test(l) || /Error: /.test(l)) return l;
    if (/^(FAIL|×)\s/.test(l)) return l.replace(/^(FAIL|×)\s+/, 'failed: ');
  }
  return 'test failed here';
}

/** pytest prints "tests/test_calc.py:7: AssertionError" in the failure body: its line number. */
function pytestLine(lines: readonly string[], file: string): number {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^${escaped}:(\\d+): `);
  for (const l of lines) {
    const m = re.exec(l);
    if (m) return Number(m[1]);
  }
  return 1;
}
