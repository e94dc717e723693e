import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Folders never indexed in a folder that is not a git repository (in a repository, git's own
 * `--exclude-standard` decides): dependencies, build output, caches and VCS metadata.
 */
export const DEFAULT_IGNORED_DIRS: ReadonlySet<string> = new Set([
  '.git', '.hg', '.svn', 'node_modules', 'dist', 'build', 'out', 'target', '__pycache__', '.venv', 'venv', '.tox',
  '.mypy_cache', '.pytest_cache', '.ruff_cache', '.next', '.nuxt', '.cache', 'coverage', '.idea', '.vscode', '.gradle',
]);

interface Rule {
  /** Matches the path itself. */
  self: RegExp;
  /** Matches a path inside a matching folder (a matched folder hides its contents). */
  below: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

/** One glob of a .gitignore line as a regex source over a path relative to the .gitignore's folder. */
function globToRegex(glob: string, anchored: boolean): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more folders, a trailing `/**` everything inside.
        if (glob[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) out += `\\${glob[++i]}`;
    else out += /[.+^${}()|\\/]/.test(c) ? `\\${c}` : c;
  }
  return `${anchored ? '^' : '^(?:.*/)?'}${out}`;
}

/** Parses a .gitignore's text (the subset git users write: globs, `**`, `!`, leading and trailing `/`). */
export function parseIgnoreFile(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    }
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    // A slash anywhere but the end anchors the pattern to the .gitignore's folder.
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '') continue;
    const source = globToRegex(line, anchored);
    rules.push({ self: new RegExp(`${source}$`), below: new RegExp(`${source}/`), negate, dirOnly });
  }
  return rules;
}

/** The rules of one .gitignore, scoped to the folder it sits in (workspace-relative, '' for the root). */
interface ScopedRules {
  base: string;
  rules: Rule[];
}

/** Whether `rel` (workspace-relative) is ignored by the scoped rule sets, the last matching rule winning. */
export function isIgnored(scopes: readonly ScopedRules[], rel: string, isDir: boolean): boolean {
  let ignored = false;
  for (const { base, rules } of scopes) {
    if (base !== '' && !rel.startsWith(`${base}/`)) continue;
    const local = base === '' ? rel : rel.slice(base.length + 1);
    for (const rule of rules) {
      const matches = ((isDir || !rule.dirOnly) && rule.self.test(local)) || rule.below.test(local);
      if (matches) ignored = !rule.negate;
    }
  }
  return ignored;
}

function readRules(dir: string): Rule[] {
  try {
    return parseIgnoreFile(readFileSync(path.join(dir, '.gitignore'), 'utf8'));
  } catch {
    return []; // no .gitignore in this folder
  }
}

/**
 * Lists the files of a folder that is not a git repository: every regular file, minus the default
 * ignored folders and what the .gitignore files (at any depth) exclude. Symlinks are not followed.
 * Stops after `limit` files.
 */
export function walkFiles(root: string, limit: number): { files: string[]; truncated: boolean } {
  const files: string[] = [];
  const walk = (dirRel: string, scopes: ScopedRules[]): boolean => {
    const abs = dirRel === '' ? root : path.join(root, dirRel);
    const own = readRules(abs);
    const here = own.length > 0 ? [...scopes, { base: dirRel, rules: own }] : scopes;
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return true; // an unreadable folder is skipped, its siblings are not
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = dirRel === '' ? entry.name : `${dirRel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (DEFAULT_IGNORED_DIRS.has(entry.name) || isIgnored(here, rel, true)) continue;
        if (!walk(rel, here)) return false;
      } else if (entry.isFile()) {
        if (isIgnored(here, rel, false)) continue;
        files.push(rel);
        if (files.length >= limit) return false;
      }
    }
    return true;
  };
  const complete = walk('', []);
  return { files, truncated: !complete };
}
