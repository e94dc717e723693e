import type { z } from 'zod';
import { RequestAnalysis } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { askJson, toJsonSchema, type ChatMessage, type ModelRunner } from '../runner';
import { analyse, type AnalyseOptions } from './analyse';
import { INTENTS } from './types';

/** What the local router model answers (seed 002 "Router Model (Phi-3-mini): classification"). */
export const RouterModelVerdict = RequestAnalysis.pick({ intent: true, complexity: true, qualityRequirement: true });
export type RouterModelVerdict = z.infer<typeof RouterModelVerdict>;
export const ROUTER_MODEL_JSON_SCHEMA = toJsonSchema(RouterModelVerdict);

export interface RouterModelOptions extends AnalyseOptions {
  runner: ModelRunner;
  /** The installed router model (`config.localModels.router`); omit to skip the model entirely. */
  model?: string | null;
  /** Ask the model only below this heuristic confidence (`config.analyser.routerModelBelowConfidence`). */
  belowConfidence: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Seed 002's router-model confidence is not calibrated; ours: a validated verdict counts as 0.8. */
const MODEL_CONFIDENCE = 0.8;
/** The instruction is what is classified; a small model reads the first 2,000 characters well. */
const MAX_PROMPT_CHARS = 2000;

const SYSTEM_PROMPT = [
  'You classify requests for a model router. Reply with one JSON object and nothing else.',
  `intent: one of ${INTENTS.join(', ')}.`,
  'complexity: trivial (a one-liner), simple (one file, a small change), medium (several files or steps), complex (system-wide or long).',
  'qualityRequirement: critical when security, authentication, cryptography, production systems, payments, data loss or personal data are involved; otherwise standard.',
].join('\n');

/**
 * The heuristic first; when it is unsure and a router model is installed, the model classifies via
 * structured output (JSON schema), validated with zod; an invalid reply goes back once with its
 * errors, within the one timeout. Any failure — error, timeout, invalid JSON twice — keeps the
 * heuristic's answer, with a signal saying why. Never throws (except for the caller's abort).
 */
export async function analyseWithRouterModel(messages: readonly ChatMessage[], options: RouterModelOptions): Promise<RequestAnalysis> {
  const heuristic = analyse(messages, options);
  if (!options.model || heuristic.confidence >= options.belowConfidence) return heuristic;
  const verdict = await askRouterModel(messages, options.model, options);
  if (!verdict.ok) {
    return { ...heuristic, signals: [...heuristic.signals, `router model ${options.model} not used: ${verdict.reason}`] };
  }
  const v = verdict.value;
  return {
    ...heuristic,
    intent: v.intent,
    complexity: v.complexity,
    // A keyword the heuristic marked critical stays critical: the model may only raise the bar.
    qualityRequirement: heuristic.qualityRequirement === 'critical' ? 'critical' : v.qualityRequirement,
    confidence: Math.max(heuristic.confidence, MODEL_CONFIDENCE),
    signals: [...heuristic.signals, `router model ${options.model}: ${v.intent}, ${v.complexity}, ${v.qualityRequirement}`],
    source: 'router-model',
  };
}

type Verdict = { ok: true; value: RouterModelVerdict } | { ok: false; reason: string };

async function askRouterModel(messages: readonly ChatMessage[], model: string, options: RouterModelOptions): Promise<Verdict> {
  let request = '';
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    if (messages[i]?.role === 'user') {
      request = messages[i]?.content ?? '';
      break;
    }
  }
  const reply = await askJson({
    runner: options.runner,
    model,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: request.slice(0, MAX_PROMPT_CHARS) },
    ],
    schema: RouterModelVerdict,
    jsonSchema: ROUTER_MODEL_JSON_SCHEMA,
    temperature: 0,
    maxTokens: 100,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    purpose: 'router.classify',
  });
  if (options.signal?.aborted) throw new SwitchboardError('cancelled', 'The request was stopped.');
  if (reply.ok) return { ok: true, value: reply.value };
  if (reply.reason === 'timeout') return { ok: false, reason: `no answer within ${options.timeoutMs} ms` };
  if (reply.reason === 'error') return { ok: false, reason: `${reply.error.code}: ${reply.error.message}` };
  return { ok: false, reason: `the reply was not the expected JSON after ${reply.attempts} tries (${reply.errors.join('; ')})` };
}
