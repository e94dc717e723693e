import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNELS } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { IPC_EVENT_CHANNEL, ipcChannelFor } from '../../shared/ipc';
import { fail } from '../../shared/result';
import type { App } from '../app';

/**
 * Registers one handler per contract channel. Before the dispatcher (which validates the input
 * schema) runs, the sender must be our window's main frame showing our own renderer.
 */
export function registerIpc(app: App, isTrustedUrl: (url: string) => boolean, target: () => WebContents | null): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    const contents = target();
    return !!frame && !!contents && event.sender === contents && frame === contents.mainFrame && isTrustedUrl(frame.url);
  };
  for (const channel of CHANNELS) {
    ipcMain.handle(ipcChannelFor(channel), (event, input: unknown) => {
      if (!trusted(event)) {
        app.logger.warn('IPC call from an untrusted frame refused', { channel, url: event.senderFrame?.url });
        return fail(new SwitchboardError('auth', 'This frame may not call Switchboard.'));
      }
      return app.dispatch(channel, input, { transport: 'electron' });
    });
  }
  const unsubscribe = app.events.subscribe((envelope) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, envelope);
  });
  return () => {
    unsubscribe();
    for (const channel of CHANNELS) ipcMain.removeHandler(ipcChannelFor(channel));
  };
}
