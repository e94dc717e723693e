import { SwitchboardError, isAbortError } from '../../../shared/errors';

/** Maps anything the ollama client or fetch throws into the taxonomy. */
export function toOllamaError(error: unknown, host: string, model?: string): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  if (isAbortError(error)) return new SwitchboardError('cancelled', 'The request was stopped.', { cause: error });
  const status = (error as { status_code?: number }).status_code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof status === 'number') {
    if (status === 404 && /not found/i.test(message)) {
      return new SwitchboardError(
        'model_not_found',
        model
          ? `The model "${model}" is not installed in Ollama at ${host}. Pull it with: ollama pull ${model}`
          : `Ollama at ${host} answered: ${message}`,
        { status, details: { model, host, pull: model } },
      );
    }
    if (status === 400 && /context|too long|exceeds/i.test(message)) {
      return new SwitchboardError('context_too_long', `The conversation is too long for ${model}: ${message}`, { status });
    }
    if (status === 429) return new SwitchboardError('rate_limited', `Ollama is busy: ${message}`, { status });
    if (status >= 500) return new SwitchboardError('unavailable', `Ollama at ${host} failed: ${message}`, { status });
    return new SwitchboardError('invalid_input', `Ollama at ${host} refused the request: ${message}`, { status });
  }
  const code = causeCode(error);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') {
    return new SwitchboardError(
      'unavailable',
      `Ollama is not running at ${host}. Start it (ollama serve, or open the Ollama app) or change the host in Settings.`,
      { details: { host, cause: code } },
    );
  }
  return new SwitchboardError('network', `The connection to Ollama at ${host} failed: ${message}`, {
    details: { host, cause: code ?? null },
  });
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let i = 0; i < 5 && current; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
