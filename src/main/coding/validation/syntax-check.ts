import type { Node } from 'web-tree-sitter';
import { grammarNameFor, parserFor } from '../../workspace/grammars';
import type { Diagnostic } from './diagnostics';

const MAX_PER_FILE = 5;

/**
 * Syntax check (seed 002's first validation stage, issue #12): every edited file with a bundled
 * grammar is parsed with tree-sitter; each ERROR or MISSING node becomes a diagnostic with its line.
 * Files without a grammar (JSON, Markdown, …) are not judged here: returns `checked: false` for them.
 */
export async function syntaxCheck(files: ReadonlyArray<{ path: string; content: string }>): Promise<{ diagnostics: Diagnostic[]; checked: string[] }> {
  const diagnostics: Diagnostic[] = [];
  const checked: string[] = [];
  for (const file of files) {
    if (!grammarNameFor(file.path)) continue;
    const parser = await parserFor(file.path);
    if (!parser) continue;
    try {
      const tree = parser.parse(file.content);
      if (!tree) continue;
      checked.push(file.path);
      if (tree.rootNode.hasError) diagnostics.push(...errorsIn(tree.rootNode, file.path));
      tree.delete();
    } finally {
      parser.delete();
    }
  }
  return { diagnostics, checked };
}

function errorsIn(root: Node, path: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (node: Node): void => {
    if (out.length >= MAX_PER_FILE) return;
    if (node.isMissing) {
      out.push({ file: path, line: node.startPosition.row + 1, column: node.startPosition.column + 1, message: `syntax error: missing "${node.type}"`, source: 'syntax' });
      return;
    }
    if (node.isError) {
      const text = node.text.split('\n')[0]?.slice(0, 60) ?? '';
      out.push({ file: path, line: node.startPosition.row + 1, column: node.startPosition.column + 1, message: `syntax error near "${text}"`, source: 'syntax' });
      return;
    }
    if (!node.hasError) return;
    for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return out;
}
