import { Script } from 'node:vm';
import type { GateResult } from '../../shared/contract';
import type { SwitchboardError } from '../../shared/errors';
import type { ChatMessage } from '../runner/chat-provider';
import type { RequestAnalysis } from './types';

/** One attempt's reply as the gates see it. */
export interface GateInput {
  text: string;
  finishReason: string | null;
  model: string;
  analysis: RequestAnalysis;
  /** The conversation the attempt answered (the validator reads the request from it). */
  messages: readonly ChatMessage[];
  error: SwitchboardError | null;
  signal?: AbortSignal;
}

/** One gate's verdict on one attempt: the contract's GateResult, its one definition (issue #10). */
export type { GateResult };

/**
 * Seed 003: "Cascade Without Quality Gates" is an anti-pattern; gates are schema validation,
 * confidence thresholds or semantic checks. These are the cheap structural ones; the validator
 * model (validator-gate.ts) is the semantic one. Cheap gates run first, and the first failure stops.
 */
export interface QualityGate {
  name: string;
  check(input: GateInput): GateResult | Promise<GateResult>;
}

const pass = (gate: string, reason = 'ok'): GateResult => ({ gate, passed: true, reason });
const fail = (gate: string, reason: string): GateResult => ({ gate, passed: false, reason });

export const emptyGate: QualityGate = {
  name: 'empty',
  check: ({ text }) => (text.trim().length === 0 ? fail('empty', 'the reply was empty') : pass('empty')),
};

/** Refusals open the reply; a refusal mentioned mid-answer ("I can't run it, but here is…") is an answer. */
export const REFUSAL_OPENING =
  /^\W{0,3}(?:(?:i'?m |i am )?(?:sorry|afraid)[,.!]?\s*(?:but\s+)?)?(?:as an ai(?: language model)?,?\s*)?i\s*(?:can(?:no|')t|can ?not|am (?:not able|unable)|'m (?:not able|unable)|won'?t|will not|must decline)\s+(?:help|assist|do|comply|provide|fulfil|fulfill|complete|write|answer|support)\b/i;

export const refusalGate: QualityGate = {
  name: 'refusal',
  check: ({ text }) => (REFUSAL_OPENING.test(text.slice(0, 300)) ? fail('refusal', 'the model refused the request') : pass('refusal')),
};

export const truncatedGate: QualityGate = {
  name: 'truncated',
  check: ({ finishReason }) => (finishReason === 'length' ? fail('truncated', 'the reply was cut off at the output limit') : pass('truncated')),
};

/** When the request asked for JSON: the reply (or its one fenced json block) must parse. */
export const jsonGate: QualityGate = {
  name: 'json',
  check: ({ text, analysis }) => {
    if (!analysis.wantsJson) return pass('json', 'no JSON asked');
    const fenced = /```(?:json)?[^\n]*\n([\s\S]*?)```/i.exec(text);
    const body = (fenced?.[1] ?? text).trim();
    try {
      JSON.parse(body);
      return pass('json');
    } catch (error) {
      return fail('json', `JSON was asked for and the reply is not valid JSON (${(error as Error).message})`);
    }
  },
};

/** Fences must balance; fenced json must parse and fenced JavaScript must compile. */
export const codeFenceGate: QualityGate = {
  name: 'code-fence',
  check: ({ text }) => {
    if (text.indexOf('```') === -1) return pass('code-fence', 'no code');
    const fences = text.match(/^[ \t]*```/gm)?.length ?? 0;
    if (fences % 2 !== 0) return fail('code-fence', 'a code block was opened and never closed');
    for (const block of text.matchAll(/^[ \t]*```[ \t]*([\w+-]*)[^\n]*\n([\s\S]*?)^[ \t]*```/gm)) {
      const lang = (block[1] ?? '').toLowerCase();
      const code = block[2] ?? '';
      const problem = lang === 'json' ? jsonProblem(code) : JS_LANGS.has(lang) ? jsProblem(code) : null;
      if (problem) return fail('code-fence', `a ${lang} code block does not parse (${problem})`);
    }
    return pass('code-fence');
  },
};

const JS_LANGS = new Set(['js', 'javascript', 'mjs', 'cjs']);

function jsonProblem(code: string): string | null {
  try {
    JSON.parse(code);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Compiles without running: `vm.Script` parses and never executes here. Wrapped in an async
 * function so `await` and `return` parse; ES module syntax (import/export) cannot be checked by a
 * Script and is left alone.
 */
function jsProblem(code: string): string | null {
  if (/^\s*(?:import|export)\s/m.test(code)) return null;
  try {
    new Script(`(async function () {\n${code}\n})`, { filename: 'reply-block.js' });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The structural gates, cheapest first. Add `validatorGate(...)` last for a semantic score. */
export function defaultGates(): QualityGate[] {
  return [emptyGate, refusalGate, truncatedGate, jsonGate, codeFenceGate];
}

/** Runs gates in order; stops at the first failure. A gate that throws is skipped, with its message. */
export async function runGates(gates: readonly QualityGate[], input: GateInput): Promise<GateResult[]> {
  const results: GateResult[] = [];
  for (const gate of gates) {
    let result: GateResult;
    try {
      result = await gate.check(input);
    } catch (error) {
      // Our bug, not the reply's: escalating would spend money on a crash.
      result = { gate: gate.name, passed: true, skipped: true, reason: `could not judge: ${error instanceof Error ? error.message : String(error)}` };
    }
    results.push(result);
    if (!result.passed) break;
  }
  return results;
}
