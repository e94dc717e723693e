import type { ModelRunner } from '../runner';
import { fastPromptTokens } from './analyse';
import { LOCAL_REPLY_BUDGET, planNumCtx, type LocalWindow } from './local-context';

/**
 * Every call to a local Ollama model carries `num_ctx` sized to it (issue #13): its prompt plus the
 * reply budget (the caller's max_tokens, else LOCAL_REPLY_BUDGET), rounded up to the step, within
 * the model's trained context and what stays on the GPU. A caller's own numCtx is kept; a model
 * without a known window (another host, metadata unreadable) runs at Ollama's default as before.
 */
export function localContextRunner(runner: ModelRunner, windows: { window(modelId: string): LocalWindow | undefined }): ModelRunner {
  return {
    stream: (request) => {
      if (request.options?.numCtx !== undefined) return runner.stream(request);
      const window = windows.window(request.model);
      if (!window) return runner.stream(request);
      // The router's own count (3.5 characters a token): the same need it checked the window against.
      const needed = fastPromptTokens(request.messages) + (request.options?.maxTokens ?? LOCAL_REPLY_BUDGET);
      const { numCtx } = planNumCtx(needed, window);
      return runner.stream({ ...request, options: { ...request.options, numCtx } });
    },
  };
}
