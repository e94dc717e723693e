import type { ModelRunner, RunRequest } from '../runner';
import type { ReliableChat } from './reliable-chat';

/**
 * The ModelRunner every caller uses in the app: one model per request through the reliability
 * layer (timeouts on the request's pool, retries, breaker, concurrency, the call log). Fallback to
 * other models is the cascade's job above, so each request names one model (and, for a model several
 * Ollama hosts serve, the same model on the other hosts: `alternates`).
 */
export function reliableRunner(reliable: Pick<ReliableChat, 'stream'>): ModelRunner {
  return {
    stream: (r: RunRequest) =>
      reliable.stream({
        candidates: [r.model, ...(r.alternates ?? [])],
        messages: r.messages,
        options: r.options,
        signal: r.signal,
        messageId: r.messageId,
        purpose: r.purpose,
        pool: r.timeouts?.pool,
        timeouts: r.timeouts?.totalMs === undefined ? undefined : { totalMs: r.timeouts.totalMs },
      }),
  };
}
