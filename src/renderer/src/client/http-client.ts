import type { CallInput, CallOutput, Channel, EventEnvelope, EventName, EventPayload } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { Listeners } from './listeners';
import { ClientError, type SwitchboardClient } from './switchboard-client';

/**
 * The headless transport: calls are `POST /rpc/<channel>`, events arrive on a WebSocket at
 * `/events`. The access token travels in the HttpOnly cookie the server set when the page was
 * opened with `?token=`, so this code never sees it.
 */
export class HttpClient implements SwitchboardClient {
  readonly transport = 'http' as const;
  private readonly listeners = new Listeners();
  private socket: WebSocket | null = null;
  private retryMs = 500;
  private everConnected = false;

  constructor(private readonly base: string = window.location.origin) {
    this.connect();
  }

  async invoke<C extends Channel>(channel: C, input: CallInput<C>): Promise<CallOutput<C>> {
    let response: Response;
    try {
      response = await fetch(`${this.base}/rpc/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
      });
    } catch (error) {
      throw new ClientError({ code: 'network', message: `Switchboard's server did not answer (${String(error)}). Is it still running?`, retryable: true });
    }
    let body: Result<CallOutput<C>>;
    try {
      body = (await response.json()) as Result<CallOutput<C>>;
    } catch {
      throw new ClientError({ code: 'internal', message: `Unexpected answer from the server (HTTP ${response.status}).`, retryable: false });
    }
    if (!body.ok) throw new ClientError(body.error);
    return body.data;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.listeners.on(event, listener);
  }

  onReconnect(listener: () => void): () => void {
    return this.listeners.onReconnect(listener);
  }

  private connect(): void {
    const url = this.base.replace(/^http/, 'ws') + '/events';
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 500;
      if (this.everConnected) this.listeners.reconnected();
      this.everConnected = true;
    };
    socket.onmessage = (message) => {
      this.listeners.dispatch(JSON.parse(String(message.data)) as EventEnvelope);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
  }
}
