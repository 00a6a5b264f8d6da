import { createStore } from 'zustand/vanilla';
import type { RoomState, RoomStatus, Teammate } from './room-connection';
import type { WorkspaceSync } from './workspace-sync';

export type OverallStatus = 'offline' | 'syncing' | 'synced';

export interface SyncState {
  overall: OverallStatus;
  rooms: Record<string, RoomState>;
  /** Local operations the server has not confirmed, over all documents. */
  pending: number;
  teammates: Teammate[];
}

export function overallStatus(statuses: RoomStatus[]): OverallStatus {
  if (statuses.length === 0 || statuses.every((s) => s === 'offline')) return 'offline';
  return statuses.every((s) => s === 'synced') ? 'synced' : 'syncing';
}

export function summarize(sync: WorkspaceSync): SyncState {
  const rooms = sync.roomStates();
  return {
    overall: overallStatus(rooms.map((r) => r.status)),
    rooms: Object.fromEntries(rooms.map((r) => [r.room, r])),
    pending: rooms.reduce((n, r) => n + r.pending, 0),
    teammates: sync.teammates(),
  };
}

/** A zustand store of sync state, per document and overall, kept up to date from a WorkspaceSync. */
export function createSyncStore(sync: WorkspaceSync) {
  const store = createStore<SyncState>(() => summarize(sync));
  let scheduled = false;
  // Many documents change at once during a sync; publish at most once per frame-ish tick.
  const unsubscribe = sync.subscribe(() => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      store.setState(summarize(sync));
    });
  });
  return { store, dispose: unsubscribe };
}
