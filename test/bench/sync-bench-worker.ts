/**
 * A load-generating process for `sync.bench.ts`, driven over IPC, so the clients'
 * CPU is not the server's. Modes:
 *   fanout  — N stock y-websocket clients per room; each appends an alias move every
 *             1/rate s; reports, per move, the time until every other client in its
 *             room has seen it.
 *   seed    — builds the large project doc and pushes it to a room, then stays connected.
 *   join    — a new client joins a room; reports the time until it holds the whole doc.
 */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { buildLargeProjectDoc } from './large-project-doc';

/** The fan-out load's stand-in for an alias move record. */
interface AliasMove {
  alias: string;
  target: string;
  hlc: string;
  clientId: string;
  by: string;
}

export type WorkerCommand =
  | { cmd: 'fanout'; url: string; rooms: string[]; clientsPerRoom: number; token: string; movesPerSecond: number; durationMs: number }
  | { cmd: 'start' }
  | { cmd: 'ping' }
  | { cmd: 'seed'; url: string; room: string; token: string; versions: number; aliasMoves: number }
  | { cmd: 'join'; url: string; room: string; token: string; versions: number; aliasMoves: number; retryMs?: number }
  | { cmd: 'exit' };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'latencies'; latencies: number[]; moves: number; incomplete: number }
  | { type: 'seeded'; bytes: number; versions: number; aliasMoves: number }
  | { type: 'joined'; ms: number }
  | { type: 'error'; message: string };

const reply = (message: WorkerReply) => process.send!(message);
// Every WebsocketProvider adds a process 'exit' listener; a hundred of them are expected here.
process.setMaxListeners(0);

function provider(url: string, room: string, token: string, doc: Y.Doc, maxBackoffTime = 2500): WebsocketProvider {
  return new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
    maxBackoffTime,
  });
}

const synced = (p: WebsocketProvider) => (p.synced ? Promise.resolve() : new Promise<void>((r) => p.once('sync', () => r())));

interface FanoutClient {
  doc: Y.Doc;
  p: WebsocketProvider;
  id: string;
  room: number;
}

let fanout: { clients: FanoutClient[]; command: Extract<WorkerCommand, { cmd: 'fanout' }> } | null = null;
const held: Array<{ doc: Y.Doc; p: WebsocketProvider }> = [];

async function startFanout(command: Extract<WorkerCommand, { cmd: 'fanout' }>): Promise<void> {
  const clients: FanoutClient[] = [];
  command.rooms.forEach((room, r) => {
    for (let i = 0; i < command.clientsPerRoom; i++) {
      const doc = new Y.Doc();
      clients.push({ doc, p: provider(command.url, room, command.token, doc), id: `${room}#${i}`, room: r });
    }
  });
  await Promise.all(clients.map((c) => synced(c.p)));
  fanout = { clients, command };
  reply({ type: 'ready' });
}

function runFanout(): void {
  const { clients, command } = fanout!;
  const sentAt = new Map<string, { t: number; waiting: number; last: number }>();
  const latencies: number[] = [];
  for (const c of clients) {
    c.doc.getArray<AliasMove>('aliasMoves').observe((event) => {
      const now = performance.now();
      for (const d of event.changes.delta) {
        for (const move of (d.insert as AliasMove[] | undefined) ?? []) {
          if (move.clientId === c.id) continue;
          const sent = sentAt.get(move.hlc);
          if (!sent) continue;
          sent.last = now;
          if (--sent.waiting === 0) {
            latencies.push(now - sent.t);
            sentAt.delete(move.hlc);
          }
        }
      }
    });
  }
  const intervalMs = 1000 / command.movesPerSecond;
  let seq = 0;
  const timers: NodeJS.Timeout[] = [];
  for (const c of clients) {
    // Spread the clients' phases so the load is steady, not a thundering herd.
    const begin = setTimeout(() => {
      const move = () => {
        const hlc = `${c.id}@${seq++}`;
        sentAt.set(hlc, { t: performance.now(), waiting: command.clientsPerRoom - 1, last: 0 });
        c.doc.getArray<AliasMove>('aliasMoves').push([{ alias: 'production', target: `v-${seq}`, hlc, clientId: c.id, by: 'bench' }]);
      };
      move();
      timers.push(setInterval(move, intervalMs));
    }, Math.random() * intervalMs);
    timers.push(begin);
  }
  setTimeout(() => {
    for (const t of timers) clearInterval(t);
    // Let in-flight moves land before reporting.
    setTimeout(() => reply({ type: 'latencies', latencies, moves: latencies.length + sentAt.size, incomplete: sentAt.size }), 2_000);
  }, command.durationMs);
}

async function seed(command: Extract<WorkerCommand, { cmd: 'seed' }>): Promise<void> {
  const doc = buildLargeProjectDoc({ versions: command.versions, aliasMoves: command.aliasMoves }).doc;
  const p = provider(command.url, command.room, command.token, doc);
  held.push({ doc, p });
  await synced(p);
  // The join waits for exactly what was seeded (the builder skips a move that the API refuses).
  reply({ type: 'seeded', bytes: Y.encodeStateAsUpdate(doc).byteLength, versions: doc.getArray('versions').length, aliasMoves: doc.getArray('aliasMoves').length });
}

async function join(command: Extract<WorkerCommand, { cmd: 'join' }>): Promise<void> {
  const start = performance.now();
  const doc = new Y.Doc();
  // The registry's project document: versions and alias moves are append-only logs.
  const versions = doc.getArray('versions');
  const moves = doc.getArray('aliasMoves');
  // While the server is not listening yet, retry every `retryMs` instead of backing off.
  const p = provider(command.url, command.room, command.token, doc, command.retryMs ?? 2500);
  await new Promise<void>((resolve) => {
    const check = () => {
      if (versions.length >= command.versions && moves.length >= command.aliasMoves) {
        doc.off('update', check);
        resolve();
      }
    };
    doc.on('update', check);
  });
  const ms = performance.now() - start;
  p.destroy();
  doc.destroy();
  reply({ type: 'joined', ms });
}

process.on('message', (command: WorkerCommand) => {
  const run = async () => {
    switch (command.cmd) {
      case 'fanout':
        return startFanout(command);
      case 'start':
        return runFanout();
      case 'ping':
        return reply({ type: 'ready' });
      case 'seed':
        return seed(command);
      case 'join':
        return join(command);
      case 'exit':
        for (const c of fanout?.clients ?? []) c.p.destroy();
        for (const h of held) h.p.destroy();
        process.exit(0);
    }
  };
  run().catch((e: unknown) => reply({ type: 'error', message: e instanceof Error ? e.stack ?? e.message : String(e) }));
});
