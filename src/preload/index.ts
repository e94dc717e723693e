/**
 * The only bridge between the sandboxed renderer and main: narrow, namespaced functions generated
 * from the contract (`window.switchboard.calls.conversations.list(input)`) and one event
 * subscription. `ipcRenderer` itself is never exposed.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, splitChannel, type EventEnvelope } from '../shared/contract';
import { IPC_EVENT_CHANNEL, ipcChannelFor } from '../shared/ipc';

const calls: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
for (const channel of CHANNELS) {
  const [ns, fn] = splitChannel(channel);
  (calls[ns] ??= {})[fn] = (input: unknown) => ipcRenderer.invoke(ipcChannelFor(channel), input);
}

contextBridge.exposeInMainWorld('switchboard', {
  calls,
  subscribe(listener: (envelope: EventEnvelope) => void): () => void {
    const handler = (_event: IpcRendererEvent, envelope: EventEnvelope) => listener(envelope);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  },
});
