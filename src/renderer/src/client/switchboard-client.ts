import type { CallInput, CallOutput, Channel, EventName, EventPayload } from '../../../shared/contract';
import type { SerializedError } from '../../../shared/errors';

/**
 * Everything the renderer may ask of the app. Picked once at start: Electron IPC through the
 * preload bridge, or HTTP + WebSocket against the headless server. Components never know which.
 */
export interface SwitchboardClient {
  readonly transport: 'electron' | 'http';
  invoke<C extends Channel>(channel: C, input: CallInput<C>): Promise<CallOutput<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Called after the event stream reconnects, so stores can reload what they may have missed. */
  onReconnect(listener: () => void): () => void;
}

/** A failed call, with the typed error from main. */
export class ClientError extends Error {
  readonly code: SerializedError['code'];
  readonly retryable: boolean;
  readonly details?: Record<string, unknown>;
  constructor(error: SerializedError) {
    super(error.message);
    this.name = 'ClientError';
    this.code = error.code;
    this.retryable = error.retryable;
    this.details = error.details;
  }
}

let current: SwitchboardClient | null = null;

export function setClient(client: SwitchboardClient): void {
  current = client;
}

export function client(): SwitchboardClient {
  if (!current) throw new Error('The Switchboard client is not set up yet.');
  return current;
}
