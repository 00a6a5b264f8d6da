import { Dexie, type EntityTable } from 'dexie';
import yDexie from 'y-dexie';
import type * as Y from 'yjs';

/** One registry document per row, its Yjs updates kept by y-dexie in IndexedDB. */
export interface RoomRow {
  room: string;
  doc: Y.Doc;
}

/** What this replica last knew the server to hold, per room (Yjs state vector). */
export interface ServerStateRow {
  room: string;
  stateVector: Uint8Array;
}

export type RegistryDb = Dexie & {
  rooms: EntityTable<RoomRow, 'room'>;
  serverState: EntityTable<ServerStateRow, 'room'>;
};

/**
 * The renderer's IndexedDB: every registry document it has seen, so the app opens
 * and edits offline. One database per (sync server, workspace), so switching servers
 * never mixes two teams' documents.
 */
export function openRegistryDb(name: string): RegistryDb {
  const db = new Dexie(name, { addons: [yDexie] }) as RegistryDb;
  db.version(1).stores({
    rooms: 'room, doc: Y.Doc',
    serverState: 'room',
  });
  return db;
}

export function registryDbName(serverUrl: string, workspace: string): string {
  return `cairn:${serverUrl}:${workspace}`;
}
