import { createRequire } from 'node:module';
import path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

/**
 * Tree-sitter grammars by file extension (issue #12): the published grammar packages ship their
 * .wasm builds; they are resolved from node_modules with createRequire, so the esbuild bundle
 * (out/node, where web-tree-sitter stays external) finds them the same way the sources do.
 */
const GRAMMAR_BY_EXTENSION: Record<string, { name: string; wasm: string }> = {
  '.ts': { name: 'typescript', wasm: 'tree-sitter-typescript/tree-sitter-typescript.wasm' },
  '.mts': { name: 'typescript', wasm: 'tree-sitter-typescript/tree-sitter-typescript.wasm' },
  '.cts': { name: 'typescript', wasm: 'tree-sitter-typescript/tree-sitter-typescript.wasm' },
  '.tsx': { name: 'tsx', wasm: 'tree-sitter-typescript/tree-sitter-tsx.wasm' },
  '.js': { name: 'javascript', wasm: 'tree-sitter-javascript/tree-sitter-javascript.wasm' },
  '.jsx': { name: 'javascript', wasm: 'tree-sitter-javascript/tree-sitter-javascript.wasm' },
  '.mjs': { name: 'javascript', wasm: 'tree-sitter-javascript/tree-sitter-javascript.wasm' },
  '.cjs': { name: 'javascript', wasm: 'tree-sitter-javascript/tree-sitter-javascript.wasm' },
  '.py': { name: 'python', wasm: 'tree-sitter-python/tree-sitter-python.wasm' },
  '.go': { name: 'go', wasm: 'tree-sitter-go/tree-sitter-go.wasm' },
  '.rs': { name: 'rust', wasm: 'tree-sitter-rust/tree-sitter-rust.wasm' },
};

const requireFromHere = createRequire(import.meta.url);
let ready: Promise<void> | null = null;
const languages = new Map<string, Promise<Language>>();

/** The grammar's name for a file ("typescript", "python", …), or null when none is bundled. */
export function grammarNameFor(file: string): string | null {
  return GRAMMAR_BY_EXTENSION[path.extname(file).toLowerCase()]?.name ?? null;
}

/** The loaded tree-sitter Language for a file by its extension (cached), or null when none is bundled. */
export async function languageFor(file: string): Promise<Language | null> {
  const grammar = GRAMMAR_BY_EXTENSION[path.extname(file).toLowerCase()];
  if (!grammar) return null;
  ready ??= Parser.init();
  await ready;
  let language = languages.get(grammar.wasm);
  if (!language) {
    language = Language.load(requireFromHere.resolve(grammar.wasm));
    // A failed load is not cached: the next call tries again and reports its own error.
    language.catch(() => languages.delete(grammar.wasm));
    languages.set(grammar.wasm, language);
  }
  return language;
}

/** A parser set to the file's language, or null when none is bundled. The caller deletes it. */
export async function parserFor(file: string): Promise<Parser | null> {
  const language = await languageFor(file);
  if (!language) return null;
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
