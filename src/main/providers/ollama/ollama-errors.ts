import { SwitchboardError, isAbortError } from '../../../shared/errors';
import { redactor } from '../../secrets/redactor';

/**
 * Maps anything the ollama client or fetch throws into the taxonomy. Ollama's text (and a proxy's
 * in front of it) is masked here, where it enters the app, like every provider's (http-errors.ts).
 */
export function toOllamaError(error: unknown, host: string, model?: string): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  return redactor.error(mapOllamaError(error, host, model));
}

function mapOllamaError(error: unknown, host: string, model?: string): SwitchboardError {
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
  // fetch says only "fetch failed"; what went wrong is in its cause.
  const detail = causeMessage(error);
  if (detail === 'bad port') {
    // 'unavailable', not 'invalid_input': the request is fine, this host cannot be reached, so the
    // router may still go on to the next candidate.
    return new SwitchboardError(
      'unavailable',
      `Switchboard cannot connect to ${host}: fetch refuses that port (it is on the Fetch standard's list of blocked ports). Run Ollama on another port (its default is 11434) and change the host in Settings.`,
      { details: { host, cause: 'bad port' } },
    );
  }
  const why = detail && detail !== message ? `${message} (${detail})` : message;
  return new SwitchboardError('network', `The connection to Ollama at ${host} failed: ${why}`, {
    details: { host, cause: code ?? null },
  });
}

/** The innermost cause's message (undici puts the real reason there). */
function causeMessage(error: unknown): string | undefined {
  let current = (error as { cause?: unknown }).cause;
  let found: string | undefined;
  for (let i = 0; i < 5 && current; i++) {
    if (current instanceof Error && current.message) found = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return found;
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
