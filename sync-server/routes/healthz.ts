/** `GET /healthz`: 200 with a JSON status while serving, 503 while shutting down. */
import type http from 'node:http';
import { sendJson } from '../http-replies';

export interface HealthSource {
  isClosing(): boolean;
  rooms(): number;
  connections(): number;
  storage: string;
  startedAt: number;
}

export function healthzRoute(source: HealthSource) {
  return (_req: http.IncomingMessage, res: http.ServerResponse): void => {
    const closing = source.isClosing();
    sendJson(
      res,
      closing ? 503 : 200,
      {
        status: closing ? 'stopping' : 'ok',
        uptimeSeconds: Math.round((Date.now() - source.startedAt) / 1000),
        rooms: source.rooms(),
        connections: source.connections(),
        storage: source.storage,
      },
      { 'Access-Control-Allow-Origin': '*' },
    );
  };
}
