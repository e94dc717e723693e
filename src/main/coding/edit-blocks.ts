/**
 * SEARCH/REPLACE edit blocks in Aider's format (issue #12): a file path line, then
 *
 *     <<<<<<< SEARCH
 *     exact existing lines
 *     =======
 *     new lines
 *     >>>>>>> REPLACE
 *
 * inside or outside a code fence, several blocks and files per reply; an empty SEARCH creates a
 * file. The markers take 5–9 characters as Aider's parser does (models miscount them); a block
 * with no path line of its own reuses the previous block's path, as Aider does.
 */
export interface EditBlock {
  /** The path as the model wrote it (checked against the workspace later). */
  path: string;
  search: string;
  replace: string;
}

export class EditParseError extends Error {
  readonly code = 'edit_parse';
  constructor(message: string) {
    super(message);
    this.name = 'EditParseError';
  }
}

const HEAD = /^\s*<{5,9} ?SEARCH\s*$/;
const DIVIDER = /^\s*={5,9}\s*$/;
const UPDATED = /^\s*>{5,9} ?REPLACE\s*$/;
const FENCE = /^\s*(`{3,}|~{3,})/;

/** Aider's strip_filename: fences, `#`, bold/quote marks and a trailing colon are not part of a path. */
function cleanPath(line: string): string | null {
  let s = line.trim();
  if (s === '' || s === '...' || FENCE.test(s)) return null;
  s = s.replace(/^#+\s*/, '');
  if (/^file:/i.test(s)) s = s.slice(5);
  // "**`src/a.ts`:**": decoration and a trailing colon, in any nesting.
  for (let previous = ''; previous !== s; ) {
    previous = s;
    s = s.trim().replace(/^[*`'"]+/, '').replace(/[*`'":]+$/, '');
  }
  if (s === '' || /\s{2,}/.test(s) || s.length > 300) return null;
  return s;
}

/** The path line written just before a block: the nearest non-empty, non-fence line above it (up to 3 back). */
function pathAbove(lines: string[], head: number): string | null {
  for (let i = head - 1; i >= Math.max(0, head - 3); i--) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    // The end of the block before: this block has no path line of its own.
    if (UPDATED.test(line) || DIVIDER.test(line)) return null;
    if (FENCE.test(line)) {
      // "path\n```lang\n<<<<<<< SEARCH": the fence sits between the path and the block.
      const fence = /^\s*(`{3,}|~{3,})(\S*)\s*$/.exec(line);
      // A fence like ```src/a.ts carries the path itself.
      if (fence?.[2] && /[./\\]/.test(fence[2])) return cleanPath(fence[2]);
      continue;
    }
    return cleanPath(line);
  }
  return null;
}

/** Every edit block of a reply, in order; throws EditParseError on a malformed block. */
export function parseEditBlocks(reply: string): EditBlock[] {
  const lines = reply.replace(/\r\n/g, '\n').split('\n');
  const blocks: EditBlock[] = [];
  let lastPath: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    if (!HEAD.test(lines[i] ?? '')) continue;
    const path: string | null = pathAbove(lines, i) ?? lastPath;
    if (!path) throw new EditParseError(`Edit block ${blocks.length + 1} has no file path: write the path alone on the line before "<<<<<<< SEARCH".`);
    const search: string[] = [];
    let j = i + 1;
    while (j < lines.length && !DIVIDER.test(lines[j] ?? '')) {
      if (HEAD.test(lines[j] ?? '') || UPDATED.test(lines[j] ?? '')) throw new EditParseError(`Edit block ${blocks.length + 1} (${path}) has no "=======" line between SEARCH and REPLACE.`);
      search.push(lines[j] ?? '');
      j++;
    }
    if (j >= lines.length) throw new EditParseError(`Edit block ${blocks.length + 1} (${path}) ends before its "=======" line.`);
    const replace: string[] = [];
    j++;
    while (j < lines.length && !UPDATED.test(lines[j] ?? '')) {
      // Aider accepts a second divider as the end of a block some models write; we do not guess.
      if (HEAD.test(lines[j] ?? '')) throw new EditParseError(`Edit block ${blocks.length + 1} (${path}) has no ">>>>>>> REPLACE" line before the next block.`);
      replace.push(lines[j] ?? '');
      j++;
    }
    if (j >= lines.length) throw new EditParseError(`Edit block ${blocks.length + 1} (${path}) ends before its ">>>>>>> REPLACE" line.`);
    blocks.push({ path, search: joinLines(search), replace: joinLines(replace) });
    lastPath = path;
    i = j;
  }
  return blocks;
}

/** Lines back to text, each ending in a newline (an empty section is the empty string). */
function joinLines(lines: string[]): string {
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}
