import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { CallContext, HostServices, Reply } from '../../shared/contract';
import { callHostMethod } from '../call-host-method';
import { contentSecurityPolicy } from '../content-security-policy';
import { resolveRendererFile } from '../renderer-files';
import { isAllowedOrigin, isLoopbackHost, requestToken, tokenMatches } from './access';
import { receiveUpload } from './receive-upload';
import { HostError } from '../../shared/host-error';

export interface WebServerOptions {
  services: HostServices;
  token: string;
  /** The built renderer (index.html and assets/). */
  rendererDir: string;
  /** Where dropped files are uploaded before they are logged (`PUT /api/upload/<id>/<path>`). */
  uploadsDir?: string;
  /** The embedded sync server's loopback port: WebSockets to `/sync/<room>` are relayed to it. */
  localSyncPort?: number;
  /** Always loopback; the option exists so tests can pick ::1. */
  host?: '127.0.0.1' | '::1';
  port?: number;
  maxBodyBytes?: number;
}

export interface WebServer {
  url: string;
  /** The URL a person opens: it carries the token, like Jupyter's. */
  loginUrl: string;
  port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  // The token travels in the first URL; never let it leak through a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Web mode: the host services behind HTTP on loopback, for headless training boxes
 * and end-to-end tests. `POST /api/call/<method>` with `{"args": [...]}` answers a
 * Reply; `GET /api/events` is the server-push channel (Server-Sent Events). Every
 * API call needs the token; every request needs a loopback Host header.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { services, token, rendererDir } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const eventStreams = new Set<http.ServerResponse>();
  const ctx: CallContext = {
    emit(event, payload) {
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const res of eventStreams) res.write(frame);
    },
  };
  const csp = contentSecurityPolicy();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      console.error('web: request failed', error);
      if (!res.headersSent) sendJson(res, 500, failure('INTERNAL', 'The host failed to answer.'));
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (!isLoopbackHost(req.headers.host)) {
      return sendJson(res, 403, failure('HOST_NOT_ALLOWED', 'Cairn web mode only answers requests addressed to 127.0.0.1 or localhost.'));
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return handleApi(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendJson(res, 405, failure('METHOD_NOT_ALLOWED', `${req.method} is not allowed here.`));
    }
    const file = await resolveRendererFile(rendererDir, url.pathname);
    if (!file) return sendJson(res, 404, failure('NOT_FOUND', `Nothing at ${url.pathname}.`));
    res.writeHead(200, {
      'Content-Type': file.contentType,
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'Content-Security-Policy': csp,
    });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(file.path).on('error', () => res.destroy()).pipe(res);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    if (!isAllowedOrigin(req.headers.origin)) {
      return sendJson(res, 403, failure('ORIGIN_NOT_ALLOWED', 'Cross-origin calls to the Cairn host are refused.'));
    }
    if (!tokenMatches(requestToken(req, url), token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="cairn"');
      return sendJson(res, 401, failure('UNAUTHORIZED', 'Missing or wrong token: open the URL that `npm run web` printed.'));
    }
    if (url.pathname === '/api/events' && req.method === 'GET') return openEventStream(res);
    if (url.pathname.startsWith('/api/upload/') && req.method === 'PUT' && options.uploadsDir) {
      try {
        const stored = await receiveUpload(req, options.uploadsDir, url.pathname.slice('/api/upload/'.length));
        return sendJson(res, 201, { ok: true, value: stored });
      } catch (error) {
        const e = error instanceof HostError ? error : new HostError('UPLOAD_FAILED', String(error));
        if (!req.complete) res.setHeader('Connection', 'close');
        return sendJson(res, e.code === 'DISK_FULL' ? 507 : e.code === 'UPLOAD_PATH_INVALID' ? 400 : 500, failure(e.code, e.message));
      }
    }
    const call = /^\/api\/call\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
    if (!call || req.method !== 'POST') {
      return sendJson(res, 404, failure('NOT_FOUND', `No API route ${req.method} ${url.pathname}.`));
    }
    const body = await readJsonBody(req, maxBodyBytes);
    if (!body.ok) return sendJson(res, body.status, failure(body.code, body.message));
    const args = (body.value as { args?: unknown } | null)?.args ?? [];
    const reply = await callHostMethod(services, call[1]!, args, ctx);
    sendJson(res, statusOf(reply), reply);
  }

  function openEventStream(res: http.ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    eventStreams.add(res);
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
    res.on('close', () => {
      clearInterval(heartbeat);
      eventStreams.delete(res);
    });
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!isLoopbackHost(req.headers.host) || !isAllowedOrigin(req.headers.origin) || !options.localSyncPort || !url.pathname.startsWith('/sync/')) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    relaySyncSocket(req, socket, head, options.localSyncPort, url.pathname.slice('/sync'.length) + url.search);
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: `${base}/`,
    loginUrl: `${base}/?token=${encodeURIComponent(token)}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of eventStreams) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function failure(code: string, message: string): Reply {
  return { ok: false, error: { code, message } };
}

function statusOf(reply: Reply): number {
  if (reply.ok) return 200;
  switch (reply.error.code) {
    case 'UNKNOWN_METHOD':
      return 404;
    case 'INVALID_ARGUMENTS':
      return 400;
    case 'INTERNAL':
      return 500;
    default:
      return 422;
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

type BodyResult = { ok: true; value: unknown } | { ok: false; status: number; code: string; message: string };

async function readJsonBody(req: http.IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return { ok: false, status: 413, code: 'BODY_TOO_LARGE', message: `Request body over ${limit} bytes.` };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return { ok: false, status: 413, code: 'BODY_TOO_LARGE', message: `Request body over ${limit} bytes.` };
    chunks.push(chunk);
  }
  if (size === 0) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, status: 400, code: 'INVALID_JSON', message: 'The request body is not valid JSON.' };
  }
}

/**
 * Relays a WebSocket upgrade to the embedded sync server, byte for byte: it checks
 * the sync token itself, so this relay adds reachability, not trust.
 */
function relaySyncSocket(req: http.IncomingMessage, socket: Duplex, head: Buffer, port: number, target: string): void {
  const upstream = net.connect(port, '127.0.0.1', () => {
    const headers = Object.entries(req.headers)
      .filter(([k]) => k !== 'host')
      .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${k}: ${x}`) : [`${k}: ${v}`]));
    upstream.write([`GET ${target} HTTP/1.1`, `host: 127.0.0.1:${port}`, ...headers, '', ''].join('\r\n'));
    if (head.length > 0) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  const close = () => {
    upstream.destroy();
    socket.destroy();
  };
  upstream.on('error', close);
  socket.on('error', close);
  socket.on('close', () => upstream.destroy());
  upstream.on('close', () => socket.destroy());
}
