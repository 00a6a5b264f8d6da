import { ipcMain, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { EVENT_CHANNEL, ipcChannel, methodNames, type CallContext, type HostServices, type Reply } from '../shared/contract';
import { callHostMethod } from './call-host-method';
import { isAppUrl } from './app-origin';

/**
 * Registers every contract method with `ipcMain.handle`. A call is served only when
 * it comes from the top frame of the app's own page; arguments are validated by
 * `callHostMethod` before anything runs. Returns a function that unregisters all.
 */
export function registerHostIpc(services: HostServices, origin: string): () => void {
  const names = methodNames();
  for (const name of names) {
    ipcMain.handle(ipcChannel(name), (event: IpcMainInvokeEvent, args: unknown): Promise<Reply> => {
      if (!isTrustedFrame(event.senderFrame, origin)) {
        const url = event.senderFrame?.url ?? 'a destroyed frame';
        console.warn(`ipc: refused ${name} from ${url}`);
        return Promise.resolve({ ok: false, error: { code: 'FORBIDDEN_SENDER', message: `${name} may only be called by the Cairn window, not ${url}.` } });
      }
      return callHostMethod(services, name, args, contextFor(event));
    });
  }
  return () => names.forEach((name) => ipcMain.removeHandler(ipcChannel(name)));
}

function isTrustedFrame(frame: WebFrameMain | null | undefined, origin: string): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url, origin);
}

function contextFor(event: IpcMainInvokeEvent): CallContext {
  const sender = event.sender;
  return {
    emit(name, payload) {
      if (!sender.isDestroyed()) sender.send(EVENT_CHANNEL, { event: name, payload });
    },
  };
}
