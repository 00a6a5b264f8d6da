import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves when the provider has synced with the server (now or after a reconnect). */
  synced(): Promise<void>;
  destroy(): void;
}

/** The stock y-websocket client in Node, as the app's renderer uses it. */
export function connectClient(
  url: string,
  room: string,
  token: string,
  { user, doc = new Y.Doc(), connect = true }: { user?: Record<string, unknown>; doc?: Y.Doc; connect?: boolean } = {},
): TestClient {
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
    maxBackoffTime: 200,
    connect,
  });
  if (user) provider.awareness.setLocalStateField('user', user);
  return {
    doc,
    provider,
    synced: () => (provider.synced ? Promise.resolve() : new Promise((resolve) => provider.once('sync', () => resolve()))),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
