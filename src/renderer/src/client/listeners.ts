import type { EventEnvelope, EventName, EventPayload } from '../../../shared/contract';

/** Fan-out of event envelopes to per-event listeners; shared by both transports. */
export class Listeners {
  private readonly byEvent = new Map<string, Set<(payload: unknown) => void>>();
  private readonly reconnect = new Set<() => void>();

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.byEvent.get(event);
    if (!set) this.byEvent.set(event, (set = new Set()));
    set.add(listener as (payload: unknown) => void);
    return () => set.delete(listener as (payload: unknown) => void);
  }

  onReconnect(listener: () => void): () => void {
    this.reconnect.add(listener);
    return () => this.reconnect.delete(listener);
  }

  dispatch(envelope: EventEnvelope): void {
    for (const listener of this.byEvent.get(envelope.event) ?? []) listener(envelope.payload);
  }

  reconnected(): void {
    for (const listener of this.reconnect) listener();
  }
}
