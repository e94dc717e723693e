import type { ChatMessage } from '../runner';
import type { ContextPack } from '../workspace';
import type { Diagnostic } from './validation/diagnostics';
import type { ValidationResult } from './validation/validation-pipeline';

/**
 * The editing instructions, after Aider's editblock prompts (issue #12): the model answers with
 * SEARCH/REPLACE blocks, each naming its file, copying existing lines exactly.
 */
export const EDIT_SYSTEM_PROMPT = `You are an expert software developer editing files in a code repository.
Make the change the user asks for, then describe every change with a SEARCH/REPLACE block. Rules:

1. The file path alone on a line, relative to the repository root, exactly as shown in the context.
2. The opening code fence, e.g. \`\`\`ts
3. <<<<<<< SEARCH
4. A contiguous chunk of lines copied EXACTLY from the current file (every character, comment and space).
5. =======
6. The lines that replace them.
7. >>>>>>> REPLACE
8. The closing fence.

Each SEARCH must match exactly one place in its file: include a few surrounding lines if needed.
Keep blocks small: only the lines that change and a little context. Use several blocks for several places.
To create a file, give its new path and an empty SEARCH section. Never edit a file outside the repository.
Reply with a short explanation and the blocks. Do not show whole files outside blocks.

Example:

src/math.ts
\`\`\`ts
<<<<<<< SEARCH
export function add(a: number, b: number) {
  return a - b;
}
=======
export function add(a: number, b: number) {
  return a + b;
}
>>>>>>> REPLACE
\`\`\``;

export const ARCHITECT_SYSTEM_PROMPT = `You are a software architect. Study the repository context and the request, then explain precisely
what to change: which files, which functions, and how. Be concise and concrete. Do not write SEARCH/REPLACE blocks or whole files;
an editor will write the edits from your plan.`;

function fence(path: string): string {
  const ext = path.split('.').pop() ?? '';
  return /^[a-z0-9]{1,6}$/.test(ext) ? ext : '';
}

/** The repository context and the task as one user message. */
export function taskMessage(task: string, context: ContextPack, plan?: string): string {
  const files = context.files.map((f) => `${f.path}\n\`\`\`${fence(f.path)}\n${f.content}${f.content.endsWith('\n') ? '' : '\n'}\`\`\``).join('\n\n');
  const parts = [`These files of the repository are in the context (they are the current contents):\n\n${files || '(no files)'}`];
  if (context.repoMap) parts.push(`Other files of the repository (a map, not their contents):\n${context.repoMap}`);
  if (context.omitted.length) parts.push(`Not included for lack of room: ${context.omitted.join(', ')}`);
  if (plan) parts.push(`The architect's plan for this change:\n${plan}`);
  parts.push(`Task: ${task}`);
  return parts.join('\n\n');
}

export function architectMessages(task: string, context: ContextPack): ChatMessage[] {
  return [
    { role: 'system', content: ARCHITECT_SYSTEM_PROMPT },
    { role: 'user', content: taskMessage(task, context) },
  ];
}

export function editMessages(task: string, context: ContextPack, plan?: string): ChatMessage[] {
  return [
    { role: 'system', content: EDIT_SYSTEM_PROMPT },
    { role: 'user', content: taskMessage(task, context, plan) },
  ];
}

function formatDiagnostic(d: Diagnostic): string {
  return `- ${d.file}:${d.line}${d.column ? `:${d.column}` : ''}${d.source ? ` [${d.source}]` : ''} ${d.message}`;
}

/**
 * What the next attempt is told (seed 002: "add validation feedback to context"): which step failed,
 * the diagnostics, the failing command's output (trimmed), and that the files are back as they were.
 */
export function validationFeedback(result: ValidationResult): string {
  const lines = ['Your edit was applied and then rolled back, because validation failed. The files are back to the contents shown above.'];
  for (const [name, step] of Object.entries(result.steps)) {
    if (step.status !== 'failed') continue;
    lines.push(`\nThe ${name} step failed: ${step.reason ?? ''}`);
    if (step.diagnostics.length) lines.push('Diagnostics:', ...step.diagnostics.slice(0, 20).map(formatDiagnostic));
    if (step.output) lines.push(`Output (trimmed):\n\`\`\`\n${step.output}\n\`\`\``);
  }
  lines.push('\nFix the problem: reply with new SEARCH/REPLACE blocks against the original files.');
  return lines.join('\n');
}

/** What the next attempt is told when the reply could not be applied at all. */
export function applyFeedback(problem: string): string {
  return `Your reply could not be applied, so nothing was changed:\n\n${problem}\n\nReply again with SEARCH/REPLACE blocks that follow the rules exactly.`;
}
