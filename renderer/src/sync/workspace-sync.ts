import { Registry } from '../registry';
import { RoomConnection, type Remote, type RoomState } from './room-connection';
import type { RegistryDb } from './registry-db';

export interface WorkspaceSyncOptions {
  db: RegistryDb;
  workspace: string;
  /** Where to sync; may come later (`connect`), so the local copy opens without waiting for it. */
  remote?: Remote;
}

export const workspaceRoom = (workspace: string) => workspace;
export const projectRoom = (workspace: string, project: string) => `${workspace}/project/${project}`;

/**
 * A workspace, offline-first: its document and every project document are opened from
 * IndexedDB and synced with the team's server. New projects (from anyone) are opened
 * as they appear, so the whole registry is on this machine for offline use.
 */
export class WorkspaceSync {
  readonly registry: Registry;
  readonly rooms = new Map<string, RoomConnection>();
  private readonly listeners = new Set<() => void>();
  private readonly opening = new Map<string, Promise<void>>();
  private closed = false;
  private stopWatching: () => void = () => {};

  private readonly options: WorkspaceSyncOptions;

  private constructor(
    options: WorkspaceSyncOptions,
    workspace: RoomConnection,
  ) {
    this.options = { ...options };
    this.rooms.set(workspaceRoom(options.workspace), workspace);
    workspace.subscribe(() => this.changed());
    this.registry = new Registry(options.workspace, workspace.doc);
  }

  /**
   * Opens the workspace document; project documents open in the background, `first`
   * (the one on screen) before the rest, one at a time so the first paint is not
   * competing with ten IndexedDB loads.
   */
  static async open(options: WorkspaceSyncOptions, first?: string): Promise<WorkspaceSync> {
    // The workspace (small) first, then the project on screen if this machine already has
    // it, both in flight at once: the big project load does not wait for the workspace.
    const opening = RoomConnection.open({ ...options, room: workspaceRoom(options.workspace) });
    const early = first && (await options.db.rooms.get(projectRoom(options.workspace, first))) ? RoomConnection.open({ ...options, room: projectRoom(options.workspace, first) }) : undefined;
    const workspace = await opening;
    const sync = new WorkspaceSync(options, workspace);
    if (early) sync.opening.set(projectRoom(options.workspace, first!), sync.adopt(first!, early));
    // The project on screen first; the rest once it has had its chance to paint.
    const rest = () => {
      if (sync.closed) return;
      void sync.openKnownProjects();
      sync.stopWatching = sync.registry.workspace.subscribe(() => void sync.openKnownProjects());
    };
    if (first && (early || sync.registry.workspace.hasProject(first))) void sync.openProject(first).then(() => setTimeout(rest, 500));
    else rest();
    return sync;
  }

  /**
   * Starts syncing every open document with `remote`, and every one opened later. The
   * app opens the workspace from IndexedDB before the host has said where it syncs.
   */
  connect(remote: Remote): void {
    if (this.options.remote) throw new Error(`workspace ${this.options.workspace} is already connected`);
    this.options.remote = remote;
    for (const room of this.rooms.values()) room.connect(remote);
  }

  /** Resolves when every project the workspace lists is open locally. */
  async openKnownProjects(): Promise<void> {
    for (const p of this.registry.workspace.projects()) {
      if (this.closed) return;
      await this.openProject(p.name);
    }
  }

  isProjectOpen(name: string): boolean {
    return this.rooms.has(projectRoom(this.options.workspace, name));
  }

  openProject(name: string): Promise<void> {
    const room = projectRoom(this.options.workspace, name);
    let pending = this.opening.get(room);
    // Only projects the workspace lists: a mistyped link must not create an empty room.
    if (!pending && !this.registry.workspace.hasProject(name)) return Promise.resolve();
    if (!pending) {
      pending = this.adopt(name, RoomConnection.open({ ...this.options, room }));
      this.opening.set(room, pending);
    }
    return pending;
  }

  private async adopt(name: string, opening: Promise<RoomConnection>): Promise<void> {
    const connection = await opening;
    if (this.closed) return void (await connection.close());
    this.rooms.set(projectRoom(this.options.workspace, name), connection);
    // Opened before `connect` but loaded after it: it syncs like the rest.
    if (this.options.remote && !connection.connected) connection.connect(this.options.remote);
    this.registry.openProject(name, connection.doc).subscribe(() => this.changed());
    globalThis.performance?.mark?.(`cairn:project-open:${name}`);
    connection.subscribe(() => this.changed());
    this.changed();
  }

  roomStates(): RoomState[] {
    return [...this.rooms.values()].map((r) => r.current);
  }

  /** Teammates online (from the workspace room, which everyone joins). */
  teammates() {
    return this.rooms.get(workspaceRoom(this.options.workspace))!.current.teammates;
  }

  setViewing(viewing: string | null): void {
    this.rooms.get(workspaceRoom(this.options.workspace))!.setViewing(viewing);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    const offWorkspace = this.registry.workspace.subscribe(listener);
    return () => {
      this.listeners.delete(listener);
      offWorkspace();
    };
  }

  goOffline(): void {
    for (const room of this.rooms.values()) room.goOffline();
  }

  goOnline(): void {
    for (const room of this.rooms.values()) room.goOnline();
  }

  /** Stops syncing and releases the documents; `{ database: true }` also closes the IndexedDB connection. */
  async close({ database = false }: { database?: boolean } = {}): Promise<void> {
    this.closed = true;
    this.stopWatching();
    await Promise.all([...this.opening.values()]);
    this.registry.destroy();
    await Promise.all([...this.rooms.values()].map((r) => r.close()));
    this.listeners.clear();
    if (database) this.options.db.close();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
