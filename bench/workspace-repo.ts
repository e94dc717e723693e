import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { seededRandom, type Random } from '../src/shared/random';

/**
 * A generated repository for the workspace index bench (issue #12): TypeScript, Python, Go and Rust
 * files of realistic size (≈ 80–250 lines), grouped in areas, each defining a few functions and a
 * type and calling functions of other files (mostly in its own area, some elsewhere), the way a
 * real codebase's import graph is clustered. Deterministic for a seed.
 */
export interface GeneratedFunction {
  name: string;
  file: string;
  callees: string[];
}

export interface GeneratedRepo {
  files: string[];
  functions: GeneratedFunction[];
  bytes: number;
}

type Lang = 'ts' | 'py' | 'go' | 'rs';
const SHARES: Array<[Lang, number]> = [['ts', 0.4], ['py', 0.25], ['go', 0.2], ['rs', 0.15]];
const VERBS = ['parse', 'load', 'save', 'build', 'render', 'validate', 'compute', 'merge', 'split', 'resolve', 'encode', 'decode', 'fetch', 'apply', 'collect', 'format', 'normalize', 'schedule', 'refresh', 'index', 'export', 'import', 'convert', 'score'];
const ADJECTIVES = ['pending', 'cached', 'remote', 'local', 'nested', 'partial', 'daily', 'active', 'stale', 'signed', 'shared', 'billing', 'invoice', 'user', 'admin', 'draft', 'public', 'private', 'batch', 'legacy', 'primary', 'retry', 'audit', 'session', 'search', 'report', 'payment', 'tenant', 'media', 'quota'];
const NOUNS = ['order', 'record', 'token', 'ledger', 'entry', 'account', 'profile', 'message', 'thread', 'event', 'metric', 'query', 'result', 'config', 'setting', 'schema', 'table', 'column', 'report', 'chart', 'upload', 'asset', 'policy', 'rule', 'route', 'request', 'response', 'header', 'cookie', 'channel', 'queue', 'job', 'task', 'worker', 'plugin', 'module', 'bundle', 'invoice', 'refund', 'coupon', 'cart', 'item', 'review', 'comment', 'tag', 'label', 'webhook', 'snapshot'];
const AREAS = ['billing', 'accounts', 'search', 'reports', 'media', 'auth', 'notifications', 'inventory', 'shipping', 'analytics', 'admin', 'sync', 'storage', 'pricing', 'catalog', 'orders', 'support', 'audit', 'scheduler', 'gateway'];

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

function pick<T>(rand: Random, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

interface Planned {
  lang: Lang;
  area: string;
  file: string;
  module: string;
  fns: string[];
  typeName: string;
}

/** Writes `count` files under `dir` and returns what it wrote (functions and their callees, for labelled requests). */
export function generateRepo(dir: string, count: number, seed = 12): GeneratedRepo {
  const rand = seededRandom(seed);
  const words: Array<[string, string, string]> = [];
  for (const v of VERBS) for (const a of ADJECTIVES) for (const n of NOUNS) words.push([v, a, n]);
  for (let i = words.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [words[i], words[j]] = [words[j]!, words[i]!];
  }
  let next = 0;
  const planned: Planned[] = [];
  const perLang = new Map<Lang, Planned[]>();
  for (let i = 0; i < count; i++) {
    let r = rand();
    let lang: Lang = 'ts';
    for (const [l, share] of SHARES) {
      if (r < share) {
        lang = l;
        break;
      }
      r -= share;
    }
    const area = pick(rand, AREAS);
    const [, a, n] = words[next % words.length]!;
    const module = `${a}_${n}_${i}`;
    const fnCount = 4 + Math.floor(rand() * 5);
    const fns: string[] = [];
    for (let k = 0; k < fnCount; k++) {
      const [fv, fa, fn] = words[next++ % words.length]!;
      fns.push(lang === 'py' || lang === 'rs' ? `${fv}_${fa}_${fn}` : lang === 'go' ? `${cap(fv)}${cap(fa)}${cap(fn)}` : `${fv}${cap(fa)}${cap(fn)}`);
    }
    const typeName = `${cap(a)}${cap(n)}${pick(rand, ['Store', 'Service', 'Record', 'Builder', 'Client', 'State'])}`;
    const ext = { ts: 'ts', py: 'py', go: 'go', rs: 'rs' }[lang];
    const file = { ts: `web/src/${area}/${module}.${ext}`, py: `py/${area}/${module}.${ext}`, go: `go/${area}/${module}.${ext}`, rs: `rs/src/${area}/${module}.${ext}` }[lang];
    const p: Planned = { lang, area, file, module, fns, typeName };
    planned.push(p);
    (perLang.get(lang) ?? perLang.set(lang, []).get(lang)!).push(p);
  }

  const functions: GeneratedFunction[] = [];
  let bytes = 0;
  for (const p of planned) {
    const peers = perLang.get(p.lang)!;
    const sameArea = peers.filter((q) => q.area === p.area && q !== p);
    const calls = new Map<string, Planned>(); // callee name → its file
    const bodyCallees: string[][] = p.fns.map(() => {
      const n = 1 + Math.floor(rand() * 3);
      const out: string[] = [];
      for (let k = 0; k < n; k++) {
        const from = sameArea.length > 0 && rand() < 0.75 ? pick(rand, sameArea) : pick(rand, peers);
        if (from === p) continue;
        const callee = pick(rand, from.fns);
        calls.set(callee, from);
        out.push(callee);
      }
      return out;
    });
    p.fns.forEach((name, i) => functions.push({ name, file: p.file, callees: bodyCallees[i]! }));
    const text = render(p, bodyCallees, calls, rand);
    bytes += Buffer.byteLength(text);
    const target = path.join(dir, p.file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return { files: planned.map((p) => p.file), functions, bytes };
}

const FILLER = ['validated', 'normalized', 'merged', 'retried', 'skipped', 'counted', 'trimmed', 'sorted'];

function render(p: Planned, callees: string[][], calls: Map<string, Planned>, rand: Random): string {
  const lines: string[] = [];
  const filler = (indent: string, comment: string, n: number) => {
    for (let k = 0; k < n; k++) lines.push(`${indent}${comment} step ${k + 1}: the value is ${pick(rand, FILLER)} before use (keeps the ${p.area} invariants)`);
  };
  if (p.lang === 'ts') {
    const byFile = new Map<string, string[]>();
    for (const [name, from] of calls) (byFile.get(from.file) ?? byFile.set(from.file, []).get(from.file)!).push(name);
    for (const [file, names] of byFile) lines.push(`import { ${names.join(', ')} } from '${path.posix.relative(path.posix.dirname(p.file), file).replace(/\.ts$/, '').replace(/^(?!\.)/, './')}';`);
    lines.push('', `export interface ${p.typeName} {`, '  id: string;', '  amount: number;', '  tags: string[];', '}', '');
    p.fns.forEach((fn, i) => {
      lines.push(`/** ${fn}: part of ${p.area}. */`, `export function ${fn}(input: ${p.typeName}): number {`, '  let total = input.amount;');
      filler('  ', '//', 4 + Math.floor(rand() * 10));
      for (const c of callees[i]!) lines.push(`  total += ${c}({ id: input.id, amount: total, tags: input.tags });`);
      lines.push('  if (input.tags.length === 0) return total;', '  return total * input.tags.length;', '}', '');
    });
  } else if (p.lang === 'py') {
    const byFile = new Map<string, string[]>();
    for (const [name, from] of calls) (byFile.get(from.file) ?? byFile.set(from.file, []).get(from.file)!).push(name);
    for (const [file, names] of byFile) lines.push(`from ${file.replace(/\.py$/, '').replace(/\//g, '.')} import ${names.join(', ')}`);
    lines.push('', '', `class ${p.typeName}:`, '    def __init__(self, ident, amount):', '        self.ident = ident', '        self.amount = amount', '');
    p.fns.forEach((fn, i) => {
      lines.push('', `def ${fn}(record):`, `    """${fn}: part of ${p.area}."""`, '    total = record.amount');
      filler('    ', '#', 4 + Math.floor(rand() * 10));
      for (const c of callees[i]!) lines.push(`    total += ${c}(record)`);
      lines.push('    if not record.ident:', '        return total', '    return total * 2');
    });
  } else if (p.lang === 'go') {
    lines.push(`package ${p.area}`, '', `type ${p.typeName} struct {`, '\tID     string', '\tAmount int', '}', '');
    p.fns.forEach((fn, i) => {
      lines.push(`// ${fn} is part of ${p.area}.`, `func ${fn}(in ${p.typeName}) int {`, '\ttotal := in.Amount');
      filler('\t', '//', 4 + Math.floor(rand() * 10));
      for (const c of callees[i]!) {
        const from = calls.get(c)!;
        lines.push(from.area === p.area ? `\ttotal += ${c}(in)` : `\ttotal += ${from.area}.${c}(in)`);
      }
      lines.push('\tif in.ID == "" {', '\t\treturn total', '\t}', '\treturn total * 2', '}', '');
    });
  } else {
    for (const [name, from] of calls) lines.push(`use crate::${from.area}::${from.module}::${name};`);
    lines.push('', `pub struct ${p.typeName} {`, '    pub id: String,', '    pub amount: i64,', '}', '');
    p.fns.forEach((fn, i) => {
      lines.push(`/// ${fn}: part of ${p.area}.`, `pub fn ${fn}(input: &${p.typeName}) -> i64 {`, '    let mut total = input.amount;');
      filler('    ', '//', 4 + Math.floor(rand() * 10));
      for (const c of callees[i]!) lines.push(`    total += ${c}(input);`);
      lines.push('    if input.id.is_empty() {', '        return total;', '    }', '    total * 2', '}', '');
    });
  }
  return `${lines.join('\n')}\n`;
}
