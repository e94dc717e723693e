import { z } from 'zod';
import { askJson, toJsonSchema, type ModelRunner } from '../runner';
import type { GateResult, QualityGate } from './quality-gates';

export const ValidatorVerdict = z.object({
  score: z.number().min(0).max(1),
  issues: z.string().max(2000).default(''),
});
export type ValidatorVerdict = z.infer<typeof ValidatorVerdict>;
export const VALIDATOR_JSON_SCHEMA = toJsonSchema(ValidatorVerdict);

export interface ValidatorGateOptions {
  runner: ModelRunner;
  /** Seed 002's validation model (`config.localModels.validator`, deepseek-coder:6.7b). */
  model: string;
  /** Seed 002: "Score: 0-1.0 confidence. Early exit if <0.8" (`config.validation.threshold`). */
  threshold: number;
  /** Default 20 s: a cold local model loads first (reliability/timeouts LOCAL_COLD_START_MS is the app's). */
  timeoutMs?: number;
}

/** The request and reply are cut to what a small local model reads well. */
const MAX_REQUEST_CHARS = 3000;
const MAX_REPLY_CHARS = 8000;

const SYSTEM_PROMPT =
  'You check answers written by another assistant. Score how well the answer does what the request asks: ' +
  '1 = correct and complete, 0.8 = acceptable, below 0.8 = wrong, incomplete, off-topic or broken code. ' +
  'Reply with one JSON object: {"score": number between 0 and 1, "issues": "what is wrong, one sentence, or empty"}.';

/**
 * Seed 002 "Validation-Driven Routing": a local model scores the reply 0–1; below the threshold
 * the cascade escalates with the issues as feedback. When the validator cannot answer (not
 * installed, timeout, invalid JSON even after the one retry) the gate is skipped: a broken
 * validator must not spend money.
 */
export function validatorGate(options: ValidatorGateOptions): QualityGate {
  const timeoutMs = options.timeoutMs ?? 20_000;
  return {
    name: 'validator',
    async check({ text, messages, model, signal }): Promise<GateResult> {
      if (model === options.model) return skipped('the validator does not grade its own replies');
      let request = '';
      for (let i = messages.length - 1; i >= 0; i -= 1) {
        if (messages[i]?.role === 'user') {
          request = messages[i]?.content ?? '';
          break;
        }
      }
      const reply = await askJson({
        runner: options.runner,
        model: options.model,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: `Request:\n${request.slice(0, MAX_REQUEST_CHARS)}\n\nAnswer:\n${text.slice(0, MAX_REPLY_CHARS)}` },
        ],
        schema: ValidatorVerdict,
        jsonSchema: VALIDATOR_JSON_SCHEMA,
        temperature: 0,
        maxTokens: 200,
        timeoutMs,
        signal,
        purpose: 'router.validate',
      });
      if (!reply.ok) {
        if (reply.reason === 'timeout') return skipped(`the validator gave no answer within ${timeoutMs} ms`);
        if (reply.reason === 'error') return skipped(`the validator failed (${reply.error.code})`);
        return skipped('the validator reply was not the expected JSON');
      }
      const verdict = reply.value;
      const passed = verdict.score >= options.threshold;
      const reason = passed
        ? `validator score ${verdict.score.toFixed(2)}`
        : `the validator scored it ${verdict.score.toFixed(2)} (below ${options.threshold})${verdict.issues ? `: ${verdict.issues}` : ''}`;
      return { gate: 'validator', passed, reason, score: verdict.score };
    },
  };
}

function skipped(reason: string): GateResult {
  return { gate: 'validator', passed: true, skipped: true, reason };
}
