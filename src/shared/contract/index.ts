import type { z } from 'zod';
import { apiCalls } from './api';
import { cacheCalls } from './cache';
import { chatCalls, chatEvents, conversationCalls } from './conversations';
import { codingCalls, codingEvents } from './coding';
import { hardwareCalls, localModelCalls, localModelEvents, ollamaLifecycleCalls } from './setup';
import { councilCalls, councilEvents, taskCalls, taskEvents } from './parallel';
import { attachmentCalls } from './attachments';
import { libraryCalls } from './library';
import { providerCalls } from './providers';
import { routingCalls, routingEvents } from './routing';
import { systemCalls, systemEvents } from './system';
import { workspaceCalls } from './workspace';

export * from './api';
export * from './cache';
export * from './conversations';
export * from './coding';
export * from './setup';
export * from './parallel';
export * from './attachments';
export * from './library';
export * from './providers';
export * from './routing';
export * from './system';
export * from './workspace';
export type { CallSpec } from './define';

/**
 * The whole contract between the renderer and the main process. Both transports (Electron IPC and
 * headless HTTP/WebSocket) carry exactly these calls and events; channel names live only here.
 */
export const contract = {
  ...conversationCalls,
  ...chatCalls,
  ...systemCalls,
  ...providerCalls,
  ...hardwareCalls,
  ...localModelCalls,
  ...ollamaLifecycleCalls,
  ...councilCalls,
  ...taskCalls,
  ...routingCalls,
  ...cacheCalls,
  ...apiCalls,
  ...codingCalls,
  ...workspaceCalls,
  ...libraryCalls,
  ...attachmentCalls,
};

export const events = {
  ...councilEvents,
  ...taskEvents,
  ...chatEvents,
  ...systemEvents,
  ...localModelEvents,
  ...routingEvents,
  ...codingEvents,
};

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type CallInput<C extends Channel> = z.input<Contract[C]['input']>;
export type CallOutput<C extends Channel> = z.output<Contract[C]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
/** What travels on the event stream: one tagged envelope per event. */
export type EventEnvelope = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];

export const CHANNELS = Object.keys(contract) as Channel[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** `conversations.list` → ['conversations', 'list']: the preload's namespaced shape. */
export function splitChannel(channel: Channel): [string, string] {
  const dot = channel.indexOf('.');
  return [channel.slice(0, dot), channel.slice(dot + 1)];
}
