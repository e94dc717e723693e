import { SwitchboardError } from '../../shared/errors';
import type { ModelRunner, RunRequest, RunTimeouts, StreamPart } from '../runner';
import type { AnswerPipeline } from './answer-pipeline';

/**
 * A ModelRunner whose every call is an answer of the pipeline: the council and the task graphs keep
 * their own logic (timeouts, early completion, retries, escalation along a task's chain) and their
 * unit tests keep their scripted runners, while in the app each of their calls is checked for
 * availability, reserved against the budget at the output cap it sends, passed through the same
 * quality gates as a chat reply, and logged with its purpose.
 *
 * A reply the gates reject ends in an `error` part (code `unavailable`, the gate's reason), after
 * its text: callers that count an error as a failed answer (a council member, a task attempt) never
 * take a refusal or an empty reply for an answer.
 */
export function pipelineRunner(pipeline: AnswerPipeline, timeouts: RunTimeouts): ModelRunner {
  return {
    stream: (r: RunRequest) => streamAnswer(pipeline, r, { ...timeouts, ...r.timeouts }),
  };
}

async function* streamAnswer(pipeline: AnswerPipeline, r: RunRequest, timeouts: RunTimeouts): AsyncIterable<StreamPart> {
  const queue: StreamPart[] = [];
  let wake: (() => void) | null = null;
  const push = (part: StreamPart): void => {
    queue.push(part);
    wake?.();
    wake = null;
  };
  let finished = false;
  // The caller's signal, plus our own: a caller that stops reading (break, return) must not leave a
  // paid call running with its reservation held.
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  if (r.signal?.aborted) controller.abort();
  else r.signal?.addEventListener('abort', onAbort, { once: true });
  const done = pipeline
    .answer({
      purpose: r.purpose,
      model: r.model,
      messages: r.messages.map((m, i) => ({ ...m, id: `${r.purpose}-${i}` })),
      messageId: r.messageId,
      options: r.options,
      signal: controller.signal,
      keepContext: true,
      deltas: 'live',
      timeouts,
      recordDecision: false,
      // A call that asks for a JSON schema is checked against that schema by its caller (askJson),
      // which sends the errors back once; the cheap "is it JSON" gate would only cut that short.
      skipGates: r.options?.jsonSchema ? ['json'] : undefined,
      onEvent: (event) => {
        if (event.type === 'delta') push({ type: 'text-delta', text: event.text });
      },
    })
    .then(
      (outcome) => {
        if (outcome.kind === 'cached') {
          push({ type: 'text-delta', text: outcome.hit.text });
          push({ type: 'finish', reason: 'stop' });
          return;
        }
        const { result, error } = outcome.route;
        const kept = result?.kept ?? null;
        if (kept?.usage) push({ type: 'usage', usage: kept.usage });
        if (result?.ok) {
          const reason = kept?.finishReason;
          push({ type: 'finish', reason: reason === 'length' || reason === 'content-filter' || reason === 'other' ? reason : 'stop' });
          return;
        }
        const failure = error ?? new SwitchboardError(result?.failure?.code ?? 'unavailable', result?.failure?.message ?? `${r.model} produced no answer.`, { retryable: false });
        push({ type: 'error', error: failure, partial: (result?.text.length ?? 0) > 0 });
      },
      (error: unknown) => {
        push({ type: 'error', error: error instanceof SwitchboardError ? error : new SwitchboardError('internal', error instanceof Error ? error.message : String(error)) });
      },
    )
    .finally(() => {
      finished = true;
      wake?.();
      wake = null;
    });
  try {
    for (;;) {
      const part = queue.shift();
      if (part) {
        yield part;
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    if (!finished) controller.abort();
    await done;
    r.signal?.removeEventListener('abort', onAbort);
  }
}
