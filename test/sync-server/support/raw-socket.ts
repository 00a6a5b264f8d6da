import WebSocket from 'ws';

export interface RawSocket {
  ws: WebSocket;
  messages: Uint8Array[];
  /** Resolves with the close code and reason once the server closes the socket. */
  closed: Promise<{ code: number; reason: string }>;
  send(bytes: Uint8Array | number[]): void;
}

/** A bare WebSocket to a room, for sending bytes the stock client never would. */
export async function openRawSocket(url: string, room: string, token: string, options: WebSocket.ClientOptions = {}): Promise<RawSocket> {
  const ws = new WebSocket(`${url}/${room}?token=${encodeURIComponent(token)}`, options);
  const messages: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages, closed, send: (bytes) => ws.send(Uint8Array.from(bytes)) };
}

/** The HTTP status an upgrade is refused with (or 101 when it is accepted). */
export function upgradeStatus(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}${path}`);
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.once('error', (e) => {
      if (!/Unexpected server response/.test(e.message)) reject(e);
    });
  });
}
