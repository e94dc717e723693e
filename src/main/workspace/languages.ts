/**
 * The languages the symbol index reads, each with its grammar package's .wasm build and tags queries
 * (the same `tags.scm` GitHub's code navigation uses). A few supplementary patterns add what those
 * queries leave out and a repo map needs: imported names, type references, type aliases and enums,
 * so that a file using a class without calling it still points at the file defining it.
 */
export interface LanguageSpec {
  id: 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'rust';
  /** Module path of the grammar's .wasm, resolved from node_modules at run time (never relative to a bundle). */
  wasm: string;
  /** Module paths of tags queries, concatenated. */
  queries: string[];
  supplement: string;
}

const JS_SUPPLEMENT = `
(import_specifier name: (identifier) @name) @reference.import
(import_clause (identifier) @name) @reference.import
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name) @definition.constant)))
(program (lexical_declaration (variable_declarator name: (identifier) @name value: [(object) (array) (call_expression) (new_expression)]) @definition.constant))
`;

const TS_SUPPLEMENT = `${JS_SUPPLEMENT}
(type_alias_declaration name: (type_identifier) @name) @definition.type
(enum_declaration name: (identifier) @name) @definition.enum
(type_identifier) @name @reference.type
(extends_clause value: (identifier) @name) @reference.class
`;

const PYTHON_SUPPLEMENT = `
(import_from_statement name: (dotted_name (identifier) @name)) @reference.import
(import_from_statement name: (aliased_import name: (dotted_name (identifier) @name))) @reference.import
(argument_list (identifier) @name) @reference.name
(type (identifier) @name) @reference.type
(attribute object: (identifier) @name) @reference.name
(module (expression_statement (assignment left: (identifier) @name) @definition.constant))
`;

const RUST_SUPPLEMENT = `
(type_identifier) @name @reference.type
(use_declaration argument: (scoped_identifier name: (identifier) @name)) @reference.import
(use_list (identifier) @name) @reference.import
(scoped_identifier name: (identifier) @name) @reference.name
(const_item name: (identifier) @name) @definition.constant
(static_item name: (identifier) @name) @definition.constant
`;

const GO_SUPPLEMENT = `
(selector_expression field: (field_identifier) @name) @reference.name
(const_spec name: (identifier) @name) @definition.constant
(var_declaration (var_spec name: (identifier) @name) @definition.constant)
`;

const JS_TAGS = 'tree-sitter-javascript/queries/tags.scm';
const TS_TAGS = 'tree-sitter-typescript/queries/tags.scm';

export const LANGUAGES: Record<LanguageSpec['id'], LanguageSpec> = {
  typescript: { id: 'typescript', wasm: 'tree-sitter-typescript/tree-sitter-typescript.wasm', queries: [JS_TAGS, TS_TAGS], supplement: TS_SUPPLEMENT },
  tsx: { id: 'tsx', wasm: 'tree-sitter-typescript/tree-sitter-tsx.wasm', queries: [JS_TAGS, TS_TAGS], supplement: TS_SUPPLEMENT },
  javascript: { id: 'javascript', wasm: 'tree-sitter-javascript/tree-sitter-javascript.wasm', queries: [JS_TAGS], supplement: JS_SUPPLEMENT },
  python: { id: 'python', wasm: 'tree-sitter-python/tree-sitter-python.wasm', queries: ['tree-sitter-python/queries/tags.scm'], supplement: PYTHON_SUPPLEMENT },
  go: { id: 'go', wasm: 'tree-sitter-go/tree-sitter-go.wasm', queries: ['tree-sitter-go/queries/tags.scm'], supplement: GO_SUPPLEMENT },
  rust: { id: 'rust', wasm: 'tree-sitter-rust/tree-sitter-rust.wasm', queries: ['tree-sitter-rust/queries/tags.scm'], supplement: RUST_SUPPLEMENT },
};

const BY_EXTENSION: Record<string, LanguageSpec['id']> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'tsx',
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript',
  py: 'python', pyi: 'python', go: 'go', rs: 'rust',
};

/** The language of a path by its extension; null for files the index keeps without symbols. */
export function languageOf(filePath: string): LanguageSpec['id'] | null {
  if (filePath.endsWith('.d.ts')) return 'typescript';
  const dot = filePath.lastIndexOf('.');
  if (dot === -1) return null;
  return BY_EXTENSION[filePath.slice(dot + 1).toLowerCase()] ?? null;
}
