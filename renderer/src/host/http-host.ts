import { buildHostApi, type Subscribe } from '../../../electron/shared/build-host-api';
import type { HostApi, Reply } from '../../../electron/shared/contract';
import { HostError } from '../../../electron/shared/host-error';
import { createEventStreamParser } from './event-stream';

/**
 * The web-mode transport: each method is `POST /api/call/<method>`, events come over
 * one streamed `GET /api/events`. The token goes in the Authorization header, never
 * in a URL after the first page load.
 */
export function createHttpHost(baseUrl: string, token: string): HostApi {
  const headers = { Authorization: `Bearer ${token}` };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let streaming = false;

  async function invoke(method: string, args: unknown[]): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/api/call/${method}`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ args }),
      });
    } catch {
      throw new HostError('HOST_UNREACHABLE', 'The Cairn host is not answering. Is `npm run web` still running?');
    }
    const reply = (await response.json().catch(() => null)) as Reply | null;
    if (!reply) throw new HostError('HOST_BAD_REPLY', `The host answered ${response.status} without a readable reply.`);
    if (!reply.ok) throw HostError.from(reply.error);
    return reply.value;
  }

  async function streamEvents(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch(`${baseUrl}/api/events`, { headers });
        if (response.status === 401 || !response.body) return;
        attempt = 0;
        const parse = createEventStreamParser();
        const decoder = new TextDecoder();
        const reader = response.body.getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const e of parse(decoder.decode(value, { stream: true }))) {
            listeners.get(e.event)?.forEach((fn) => fn(JSON.parse(e.data)));
          }
        }
      } catch {
        // The host went away; retry with backoff below.
      }
      await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** attempt)));
    }
  }

  const subscribe: Subscribe = (event, listener) => {
    if (!streaming) {
      streaming = true;
      void streamEvents();
    }
    const set = listeners.get(event) ?? new Set();
    set.add(listener as (payload: unknown) => void);
    listeners.set(event, set);
    return () => void set.delete(listener as (payload: unknown) => void);
  };

  return buildHostApi(invoke, subscribe);
}
