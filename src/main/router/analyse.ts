import { estimateTextTokens, type ChatMessage } from '../runner';
import {
  CRITICAL_RULES,
  FILE_MENTION,
  INTENT_RULES,
  LIST_ITEM,
  PART_SEPARATOR,
  SEQUENTIAL_SEPARATOR,
  SYSTEM_WIDE,
  WANTS_JSON,
} from './analyse-rules';
import { INTENTS, type Complexity, type Intent, type RequestAnalysis, type RequestPart } from './types';

export interface AnalyseOptions {
  /** Prompt-token estimate of the whole conversation; default: a character count (see `fastPromptTokens`). */
  estimatePromptTokens?: (messages: readonly ChatMessage[]) => number;
}

/** Seed 002 `enum Complexity`: Trivial <20 tokens, Simple <50, Medium <100, Complex >100. */
const COMPLEXITY_LIMITS: ReadonlyArray<[number, Complexity]> = [
  [20, 'trivial'],
  [50, 'simple'],
  [100, 'medium'],
];
const LEVEL: Record<Complexity, number> = { trivial: 0, simple: 1, medium: 2, complex: 3 };
const BY_LEVEL: readonly Complexity[] = ['trivial', 'simple', 'medium', 'complex'];
/** Our choice: a pasted block this long is a multi-function change whatever the instruction says. */
const LONG_CODE_LINES = 150;
/** Instructions longer than this are counted by characters (estimateTextTokens allocates per word). */
const EXACT_ESTIMATE_CHARS = 4000;
const MAX_PARTS = 12;
/** Keyword rules read at most this much of the instruction (our choice: keeps a 400 KB paste sub-millisecond). */
const SCAN_CHARS = 4000;
/** Each rule's slot in the score array, resolved once. */
const RULE_SLOT: readonly number[] = INTENT_RULES.map((r) => INTENTS.indexOf(r.intent));

/**
 * The heuristic request analyser (seed 002 "Analysis Heuristics: token count, keyword presence,
 * file count; separators and, also, then"). Decides in microseconds: precompiled regexes over the
 * last user message only; the rest of the conversation is measured by length.
 */
export function analyse(messages: readonly ChatMessage[], options: AnalyseOptions = {}): RequestAnalysis {
  const signals: string[] = [];
  const last = lastUserMessage(messages);
  const { prose, codeBlocks, codeLines } = splitCode(last);
  const instruction = prose.trim();
  // A long paste is read at both ends, where the instruction sits ("Summarise this: …", "… fix the above").
  const scan = instruction.length > SCAN_CHARS ? `${instruction.slice(0, SCAN_CHARS / 2)}\n${instruction.slice(-SCAN_CHARS / 2)}` : instruction;
  if (scan !== instruction) signals.push(`long instruction: read the first and last ${SCAN_CHARS / 2} characters`);

  const { intent, confidence } = classify(scan, codeBlocks, signals);
  const filesMentioned = findFiles(scan);
  // One long part is not copied whole into the analysis (and so the decision record).
  const parts = scan === instruction ? splitParts(instruction) : [{ text: `${instruction.slice(0, 200)}…`, dependsOnPrevious: false }];
  const parallelizable = parts.length > 1 && parts.some((p, i) => i > 0 && !p.dependsOnPrevious);
  if (parts.length > 1) signals.push(`${parts.length} parts${parallelizable ? ', some independent' : ', in sequence'}`);

  const requestTokens = instruction.length > EXACT_ESTIMATE_CHARS ? Math.ceil(instruction.length / 4) : estimateTextTokens(instruction);
  let level = LEVEL[complexityOf(requestTokens)];
  signals.push(`instruction ~${requestTokens} tokens`);
  if (filesMentioned.length >= 2 && level < LEVEL.medium) {
    level = LEVEL.medium;
    signals.push(`${filesMentioned.length} files: multi-file`);
  }
  if (parts.length >= 3 && level < LEVEL.medium) {
    level = LEVEL.medium;
    signals.push('three or more parts');
  }
  if (codeLines > LONG_CODE_LINES && level < LEVEL.complex) {
    level += 1;
    signals.push(`more than ${LONG_CODE_LINES} lines of code`);
  }
  if (SYSTEM_WIDE.test(scan)) {
    level = LEVEL.complex;
    signals.push('system-wide');
  }

  const critical: string[] = [];
  for (const r of CRITICAL_RULES) if (r.re.test(scan)) critical.push(r.label);
  if (critical.length > 0) signals.push(`critical: ${critical.join(', ')}`);
  const wantsJson = WANTS_JSON.test(scan);
  if (wantsJson) signals.push('asks for JSON');

  return {
    intent,
    complexity: BY_LEVEL[level] ?? 'complex',
    contextTokens: (options.estimatePromptTokens ?? fastPromptTokens)(messages),
    requestTokens,
    qualityRequirement: critical.length > 0 ? 'critical' : 'standard',
    parallelizable,
    parts,
    filesMentioned,
    codeBlocks,
    wantsJson,
    confidence,
    signals,
    source: 'heuristic',
  };
}

export function complexityOf(tokens: number): Complexity {
  for (const [limit, complexity] of COMPLEXITY_LIMITS) if (tokens < limit) return complexity;
  return 'complex';
}

/**
 * Tokens by characters: 3.5 per token, between OpenAI's "≈4 characters" for English prose and
 * the denser ≈3 of code, plus the chat framing (3 per message, 3 to prime the reply; OpenAI
 * cookbook). Costs nothing on a 400 KB conversation, where a word count would allocate.
 */
export function fastPromptTokens(messages: readonly ChatMessage[]): number {
  let total = 3;
  for (const m of messages) total += 3 + Math.ceil(m.content.length / 3.5);
  return total;
}

function lastUserMessage(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const m = messages[i];
    if (m && m.role === 'user') return m.content;
  }
  return '';
}

function classify(instruction: string, codeBlocks: number, signals: string[]): { intent: Intent; confidence: number } {
  const scores = new Float64Array(INTENTS.length);
  for (let k = 0; k < INTENT_RULES.length; k += 1) {
    const r = INTENT_RULES[k] as (typeof INTENT_RULES)[number];
    if (r.re.test(instruction)) {
      const i = RULE_SLOT[k] ?? 0;
      scores[i] = (scores[i] ?? 0) + r.weight;
      signals.push(`${r.intent}: ${r.label}`);
    }
  }
  let top = 0;
  let second = 0;
  let best: Intent = 'other';
  for (let i = 0; i < scores.length; i += 1) {
    const s = scores[i] ?? 0;
    if (s > top) {
      second = top;
      top = s;
      best = INTENTS[i] ?? 'other';
    } else if (s > second) second = s;
  }
  if (top === 0) {
    // Pasted code with no instruction words is most often "what about this?": a code question.
    if (codeBlocks > 0) {
      signals.push('code without instruction words');
      return { intent: 'question', confidence: 0.4 };
    }
    signals.push('no intent keywords');
    return { intent: 'other', confidence: 0.3 };
  }
  // Our calibration: a lone strong rule ≈ 0.95, a lone weak one ≈ 0.8, a tie ≈ 0.5.
  const confidence = Math.min(0.97, 0.35 + 0.12 * Math.min(top, 4) + 0.3 * ((top - second) / top));
  return { intent: best, confidence: Math.round(confidence * 100) / 100 };
}

/**
 * Prose and fenced code apart, by indexOf rather than a regex replace: a 400 KB paste costs a
 * single pass. An unclosed fence runs to the end (as Markdown renders it).
 */
function splitCode(text: string): { prose: string; codeBlocks: number; codeLines: number } {
  let open = text.indexOf('```');
  if (open === -1) return { prose: text, codeBlocks: 0, codeLines: 0 };
  let prose = '';
  let from = 0;
  let codeBlocks = 0;
  let codeLines = 0;
  while (open !== -1) {
    prose += `${text.slice(from, open)} `;
    const close = text.indexOf('```', open + 3);
    const end = close === -1 ? text.length : close;
    for (let i = text.indexOf('\n', open); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) codeLines += 1;
    codeBlocks += 1;
    from = close === -1 ? text.length : close + 3;
    open = close === -1 ? -1 : text.indexOf('```', from);
  }
  prose += text.slice(from);
  return { prose, codeBlocks, codeLines };
}

function findFiles(text: string): string[] {
  if (text.indexOf('.') === -1 && text.indexOf('file') === -1) return [];
  const found = new Set<string>();
  FILE_MENTION.lastIndex = 0;
  for (let m = FILE_MENTION.exec(text); m !== null; m = FILE_MENTION.exec(text)) {
    if (m[1]) found.add(m[1]);
    if (found.size >= 50) break;
  }
  return [...found];
}

/** Numbered or bulleted items first; otherwise the separators, where an imperative verb follows. */
export function splitParts(instruction: string): RequestPart[] {
  const items: RequestPart[] = [];
  LIST_ITEM.lastIndex = 0;
  for (let m = LIST_ITEM.exec(instruction); m !== null && items.length < MAX_PARTS; m = LIST_ITEM.exec(instruction)) {
    const text = (m[1] ?? '').trim();
    items.push({ text, dependsOnPrevious: /^then\b/i.test(text) });
  }
  if (items.length >= 2) return items;

  const parts: RequestPart[] = [];
  let start = 0;
  let dependsOnPrevious = false;
  PART_SEPARATOR.lastIndex = 0;
  for (let m = PART_SEPARATOR.exec(instruction); m !== null && parts.length < MAX_PARTS - 1; m = PART_SEPARATOR.exec(instruction)) {
    const text = instruction.slice(start, m.index).trim();
    if (text.length > 0) parts.push({ text, dependsOnPrevious });
    dependsOnPrevious = SEQUENTIAL_SEPARATOR.test(m[1] ?? '');
    start = m.index + m[0].length;
  }
  const rest = instruction.slice(start).trim();
  if (rest.length > 0) parts.push({ text: rest, dependsOnPrevious: parts.length > 0 && dependsOnPrevious });
  if (parts.length === 0) return [{ text: instruction, dependsOnPrevious: false }];
  return parts;
}
