/**
 * The preload bridge: exposes exactly the host API contract as `window.cairn`,
 * nothing else (no ipcRenderer, no Node). Built as CommonJS so the renderer stays
 * sandboxed.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { buildHostApi, type Subscribe } from '../shared/build-host-api';
import type { HostApi, Reply } from '../shared/contract';
import { EVENT_CHANNEL, ipcChannel } from '../shared/host-methods';

const subscribe: Subscribe = (event, listener) => {
  const onEvent = (_e: IpcRendererEvent, message: { event: string; payload: unknown }) => {
    if (message.event === event) listener(message.payload as never);
  };
  ipcRenderer.on(EVENT_CHANNEL, onEvent);
  return () => void ipcRenderer.off(EVENT_CHANNEL, onEvent);
};

const api = {
  ...buildHostApi(async (method, args) => {
    const reply = (await ipcRenderer.invoke(ipcChannel(method), args)) as Reply;
    // contextBridge keeps only an Error's message, so the code travels in it: "CODE: message".
    if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
    return reply.value;
  }, subscribe),
  // Dropped files are logged by path: their bytes never travel through the renderer.
  droppedPath: (file: File) => webUtils.getPathForFile(file),
} satisfies HostApi;

contextBridge.exposeInMainWorld('cairn', api);
