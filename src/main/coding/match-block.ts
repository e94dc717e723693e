/**
 * Where a SEARCH text sits in a file (issue #12), tolerant the way Aider's is: an exact match
 * first, then a match that ignores differences of leading (and trailing) whitespace — models often
 * get indentation wrong — re-indenting the REPLACE lines by the same offset. Zero or several
 * matches are errors the model is told about.
 */
export type MatchResult =
  | { ok: true; content: string; fuzzy: boolean }
  | { ok: false; reason: 'none' | 'several'; count: number };

function countOccurrences(haystack: string, needle: string): { count: number; at: number } {
  let count = 0;
  let at = -1;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) {
    // Whole lines only: "return 1;" must not match the end of "  return 1;".
    if (i > 0 && haystack[i - 1] !== '\n') continue;
    if (count === 0) at = i;
    count++;
  }
  return { count, at };
}

function leading(line: string): string {
  return /^\s*/.exec(line)?.[0] ?? '';
}

/** Replaces the one occurrence of `search` in `content` by `replace` (all three with \n line endings). */
export function replaceOnce(content: string, search: string, replace: string): MatchResult {
  const body = content.endsWith('\n') || content === '' ? content : content + '\n';
  const addedNewline = body !== content;
  const exact = countOccurrences(body, search);
  const finish = (text: string): string => (addedNewline && text.endsWith('\n') ? text.slice(0, -1) : text);
  if (exact.count === 1) {
    return { ok: true, fuzzy: false, content: finish(body.slice(0, exact.at) + replace + body.slice(exact.at + search.length)) };
  }
  if (exact.count > 1) return { ok: false, reason: 'several', count: exact.count };

  // Whitespace-tolerant: the same lines once leading and trailing whitespace is set aside.
  const fileLines = body.split('\n').slice(0, -1);
  const searchLines = search.split('\n').slice(0, -1);
  while (searchLines.length > 0 && searchLines[0]?.trim() === '') searchLines.shift();
  while (searchLines.length > 0 && searchLines[searchLines.length - 1]?.trim() === '') searchLines.pop();
  if (searchLines.length === 0) return { ok: false, reason: 'none', count: 0 };
  const wanted = searchLines.map((l) => l.trim());
  const starts: number[] = [];
  for (let i = 0; i + wanted.length <= fileLines.length; i++) {
    if (wanted.every((w, j) => (fileLines[i + j] ?? '').trim() === w)) starts.push(i);
  }
  if (starts.length !== 1) return { ok: false, reason: starts.length === 0 ? 'none' : 'several', count: starts.length };
  const start = starts[0] as number;
  // The indentation offset between the file's first matched line and the model's.
  const fileIndent = leading(fileLines[start] ?? '');
  const modelIndent = leading(searchLines[0] ?? '');
  const replaceLines = replace === '' ? [] : replace.split('\n').slice(0, -1);
  const reindented = replaceLines.map((line) => {
    if (line.trim() === '') return line;
    if (fileIndent.length >= modelIndent.length && fileIndent.endsWith(modelIndent)) return fileIndent.slice(0, fileIndent.length - modelIndent.length) + line;
    if (modelIndent.length > fileIndent.length && line.startsWith(modelIndent.slice(0, modelIndent.length - fileIndent.length))) {
      return line.slice(modelIndent.length - fileIndent.length);
    }
    return line;
  });
  const out = [...fileLines.slice(0, start), ...reindented, ...fileLines.slice(start + searchLines.length)];
  return { ok: true, fuzzy: true, content: finish(out.length === 0 ? '' : out.join('\n') + '\n') };
}
