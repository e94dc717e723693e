import type { Channel } from './contract';

/** Electron IPC channel names, derived from the contract's channel names. */
export const IPC_PREFIX = 'switchboard:';
export const IPC_EVENT_CHANNEL = `${IPC_PREFIX}event`;

export function ipcChannelFor(channel: Channel): string {
  return `${IPC_PREFIX}${channel}`;
}
