import { useEffect, useState } from 'react';
import type { ModelFit } from '../../../../shared/contract';
import { formatBytes, formatContext } from '../../../../shared/format';
import { client, ClientError } from '../../client/switchboard-client';
import { errorText } from '../../stores/errors';

type State = { model: string; fit: ModelFit | null; error: string | null; userError: boolean } | null;

/** `hf.co/{user}/{repo}:{quant}` → its quantization (Q4_K_M when none is given, as Ollama picks). */
export function hfQuant(model: string): string | null {
  const m = /^(?:hf\.co|huggingface\.co)\/[^/:\s]+\/[^/:\s]+(?::([^/:\s]+))?$/i.exec(model);
  return m ? (m[1] ?? 'Q4_K_M') : null;
}

/** "fits on your GPU with 12K context", in the estimator's own terms. */
export function fitSentence(fit: ModelFit, contextLength: number): string {
  switch (fit.verdict) {
    case 'full-gpu':
      return fit.maxFullGpuCtx > 0 ? `fits on your GPU with ${formatContext(fit.maxFullGpuCtx)} context` : `fits on your GPU at ${formatContext(contextLength)} context`;
    case 'partial':
      return `partly on your GPU at ${formatContext(contextLength)} context (${fit.gpuLayers} of ${fit.totalLayers} layers), slower`;
    case 'cpu-only':
      return 'runs on the CPU only: slow';
    default:
      return "won't fit in this machine's memory";
  }
}

/**
 * The fit of a Hugging Face GGUF before it is pulled (issue #13): the main process reads the file's
 * GGUF header with Range requests; offline or unreachable, the fit is known after the pull.
 */
export function HfFitEstimate({ model, contextLength }: { model: string; contextLength: number }) {
  const [state, setState] = useState<State>(null);
  const quant = hfQuant(model);
  useEffect(() => {
    if (!quant) return;
    let live = true;
    const timer = setTimeout(() => {
      client()
        .invoke('localModels.fit', { model, contextLength })
        .then((fit) => live && setState({ model, fit, error: null, userError: false }))
        .catch((error: unknown) => {
          const userError = error instanceof ClientError && (error.code === 'model_not_found' || error.code === 'invalid_input');
          const offline = error instanceof ClientError && error.code === 'offline';
          if (live) setState({ model, fit: null, error: offline ? "offline mode does not read the file's header on Hugging Face." : errorText(error), userError });
        });
    }, 500);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [model, quant, contextLength]);
  if (!quant) return null;
  const current = state?.model === model ? state : null;
  let text: string;
  let className = 'muted small';
  if (!current) text = `Reading the ${quant} file's header on Hugging Face…`;
  else if (current.fit) {
    text = `${quant}, ${formatBytes(current.fit.fileSizeBytes)}: ${fitSentence(current.fit, contextLength)}.`;
    className = current.fit.verdict === 'full-gpu' ? 'ok small' : current.fit.verdict === 'wont-fit' ? 'bad small' : 'small';
  } else {
    text = current.userError ? (current.error ?? '') : `Fit after pull: ${current.error ?? ''}`;
    className = current.userError ? 'bad small' : 'muted small';
  }
  return (
    <p role="note" aria-label="Estimated fit" aria-live="polite" className={className} title={current?.fit?.file}>
      {text}
    </p>
  );
}
