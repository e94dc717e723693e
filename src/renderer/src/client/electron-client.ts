import { splitChannel, type CallInput, type CallOutput, type Channel, type EventEnvelope, type EventName, type EventPayload } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { Listeners } from './listeners';
import { ClientError, type SwitchboardClient } from './switchboard-client';

/** The shape the preload exposes as `window.switchboard` (see src/preload/index.ts). */
export interface SwitchboardBridge {
  calls: Record<string, Record<string, (input: unknown) => Promise<Result<unknown>>>>;
  subscribe(listener: (envelope: EventEnvelope) => void): () => void;
}

declare global {
  interface Window {
    switchboard?: SwitchboardBridge;
  }
}

export class ElectronClient implements SwitchboardClient {
  readonly transport = 'electron' as const;
  private readonly listeners = new Listeners();

  constructor(private readonly bridge: SwitchboardBridge) {
    bridge.subscribe((envelope) => this.listeners.dispatch(envelope));
  }

  async invoke<C extends Channel>(channel: C, input: CallInput<C>): Promise<CallOutput<C>> {
    const [ns, fn] = splitChannel(channel);
    const call = this.bridge.calls[ns]?.[fn];
    if (!call) throw new ClientError({ code: 'not_found', message: `The app does not offer ${channel}.`, retryable: false });
    const result = await call(input ?? {});
    if (!result.ok) throw new ClientError(result.error);
    return result.data as CallOutput<C>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.listeners.on(event, listener);
  }

  onReconnect(listener: () => void): () => void {
    // IPC does not drop; there is nothing to reconnect.
    return this.listeners.onReconnect(listener);
  }
}
