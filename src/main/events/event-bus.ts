import type { EventEnvelope, EventName, EventPayload } from '../../shared/contract';

type Listener = (envelope: EventEnvelope) => void;

/**
 * Main-process events for the renderer (streamed tokens, status changes). Transports subscribe once
 * and forward every envelope to their clients; services only `emit`.
 */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const envelope = { event, payload } as EventEnvelope;
    for (const listener of this.listeners) listener(envelope);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
