import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Language, Parser, Query } from 'web-tree-sitter';
import { LANGUAGES, type LanguageSpec } from './languages';

/** One symbol occurrence: a definition or a reference of `name` at a 1-based line. */
export interface Tag {
  name: string;
  kind: 'def' | 'ref';
  /** What the tags query called it: function, method, class, interface, type, call, import … */
  category: string;
  line: number;
}

// Resolved from node_modules at run time (never relative to this file): the esbuild bundle in
// out/node and the vitest run find the same .wasm files.
const requireFromHere = createRequire(import.meta.url);

interface Loaded {
  parser: Parser;
  query: Query;
}

/** Names too short or too common to link files by (Aider's repo map ignores nothing; these are noise for ranking). */
const MIN_NAME_LENGTH = 2;

/**
 * Extracts definitions and references from source text with tree-sitter and each grammar's tags
 * queries (the approach of Aider's repo map). Grammars load once, on first use.
 */
export class TagExtractor {
  private init: Promise<void> | null = null;
  private readonly loaded = new Map<LanguageSpec['id'], Promise<Loaded>>();

  private ready(): Promise<void> {
    this.init ??= Parser.init({ locateFile: (file: string) => requireFromHere.resolve(`web-tree-sitter/${file}`) });
    return this.init;
  }

  private load(id: LanguageSpec['id']): Promise<Loaded> {
    let entry = this.loaded.get(id);
    if (!entry) {
      const spec = LANGUAGES[id];
      entry = (async () => {
        await this.ready();
        const language = await Language.load(requireFromHere.resolve(spec.wasm));
        const source = [...spec.queries.map((q) => readFileSync(requireFromHere.resolve(q), 'utf8')), spec.supplement].join('\n');
        const parser = new Parser();
        parser.setLanguage(language);
        return { parser, query: new Query(language, source) };
      })();
      this.loaded.set(id, entry);
      entry.catch(() => this.loaded.delete(id));
    }
    return entry;
  }

  async extract(id: LanguageSpec['id'], text: string): Promise<Tag[]> {
    const { parser, query } = await this.load(id);
    const tree = parser.parse(text);
    if (!tree) return [];
    try {
      const defs = new Map<string, Tag>();
      const tags: Tag[] = [];
      const refs: Array<Tag & { at: string }> = [];
      for (const match of query.matches(tree.rootNode)) {
        const name = match.captures.find((c) => c.name === 'name');
        const kindCapture = match.captures.find((c) => c.name.startsWith('definition.') || c.name.startsWith('reference.'));
        if (!name || !kindCapture) continue;
        const text = name.node.text;
        if (text.length < MIN_NAME_LENGTH || !/^[A-Za-z_$][\w$]*$/.test(text)) continue;
        const at = `${name.node.startIndex}`;
        const [kind, category] = kindCapture.name.split('.') as [string, string];
        const line = name.node.startPosition.row + 1;
        if (kind === 'definition') {
          const earlier = defs.get(at);
          // The supplementary "exported constant" pattern yields to the tags query's function or class.
          if (earlier) {
            if (earlier.category === 'constant') earlier.category = category;
            continue;
          }
          const tag: Tag = { name: text, kind: 'def', category, line };
          defs.set(at, tag);
          tags.push(tag);
        } else refs.push({ name: text, kind: 'ref', category, line, at });
      }
      // A definition's own name node is no reference (the supplementary type patterns match both).
      const seenRefs = new Set<string>();
      for (const ref of refs) {
        if (defs.has(ref.at) || seenRefs.has(ref.at)) continue;
        seenRefs.add(ref.at);
        tags.push({ name: ref.name, kind: 'ref', category: ref.category, line: ref.line });
      }
      return tags;
    } finally {
      tree.delete();
    }
  }

  /** Frees the parsers (their memory lives in the WebAssembly heap). */
  dispose(): void {
    for (const entry of this.loaded.values()) void entry.then((l) => (l.parser.delete(), l.query.delete()), () => undefined);
    this.loaded.clear();
  }
}
