import type { StoredRoom, StoredUpdate, SyncStorage } from './sync-storage';

/** Keeps rooms in memory: for tests, and for a server whose state may vanish with it. */
export class MemoryStorage implements SyncStorage {
  private readonly rooms = new Map<string, StoredRoom>();
  private bytes = 0;

  load(room: string): StoredRoom {
    const stored = this.rooms.get(room);
    return { snapshot: stored?.snapshot ?? null, log: [...(stored?.log ?? [])] };
  }

  append(batch: readonly StoredUpdate[]): void {
    for (const { room, update } of batch) {
      let stored = this.rooms.get(room);
      if (!stored) this.rooms.set(room, (stored = { snapshot: null, log: [] }));
      stored.log.push(update.slice());
      this.bytes += update.byteLength;
    }
  }

  compact(room: string, snapshot: Uint8Array): void {
    const stored = this.rooms.get(room);
    if (stored) this.bytes -= (stored.snapshot?.byteLength ?? 0) + stored.log.reduce((n, u) => n + u.byteLength, 0);
    this.rooms.set(room, { snapshot: snapshot.slice(), log: [] });
    this.bytes += snapshot.byteLength;
  }

  storedBytes(): number {
    return this.bytes;
  }

  close(): void {}
}
