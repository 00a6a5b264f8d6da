/**
 * The host API contract: everything the renderer may ask of the host process.
 *
 * One definition, two transports (Electron IPC and the web-mode HTTP API). Every
 * method declares the schema of its arguments (validated by the host at run time,
 * whatever the transport) and the type of its result. Events are pushed from the
 * host to the renderer (progress of long work) and are declared the same way.
 */
import { z } from 'zod';
import { HOST_METHODS } from './host-methods';

/** A contract method: the schema of its argument tuple and the type of its result. */
export interface MethodSpec<Args extends z.ZodTuple = z.ZodTuple, Result = unknown> {
  args: Args;
  /** Phantom: only used for typing. */
  result?: Result;
}

function method<Result>() {
  return <Args extends z.ZodTuple>(args: Args): MethodSpec<Args, Result> => ({ args });
}

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  platform: z.string(),
  /** Which transport serves this renderer: the desktop shell or the web mode. */
  shell: z.enum(['electron', 'web']),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** How this installation syncs: the embedded local server, or a team's server. */
export interface SyncSettings {
  mode: 'local' | 'server';
  /** The team server as the user typed it (http(s)://host:port); null in local mode. */
  serverUrl: string | null;
  /** Where the renderer's WebSocket provider connects (ws:// or wss://). */
  syncUrl: string;
  token: string;
  workspace: string;
  role: 'read' | 'write' | 'admin';
  displayName: string;
  /** This machine's name, recorded as the source host of versions logged here. */
  hostname: string;
}

export const SettingsUpdateSchema = z
  .object({
    /** null switches back to the local, embedded server. */
    serverUrl: z.string().trim().max(2048).nullable().optional(),
    token: z.string().trim().max(4096).optional(),
    displayName: z.string().trim().min(1, 'The display name cannot be empty.').max(80).optional(),
  })
  .strict();
export type SettingsUpdate = z.infer<typeof SettingsUpdateSchema>;

/**
 * A Model Version's identity in the store: 26 lowercase Crockford base32 characters,
 * time-sortable (48-bit milliseconds, then 80 random bits). Checked wherever an id
 * comes from outside, so an id can never be a path trick.
 */
export const VERSION_ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{26}$/;
export const VersionIdSchema = z.string().regex(VERSION_ID_PATTERN, 'not a Cairn version id');

/** Chosen by the caller so it can cancel the operation and match its progress events. */
export const OpIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '1–64 letters, digits, "-" or "_"');

/** Absolute paths of the files and folders a user dropped. */
export const SourcesSchema = z.array(z.string().min(1).max(4096)).max(100_000);

export interface ManifestFile {
  /** Relative, `/`-separated, no `.`/`..`/empty segments, no control characters. */
  path: string;
  size: number;
  /** Lowercase hex. */
  sha256: string;
  executable: boolean;
}

export interface Manifest {
  format: 'cairn-manifest/1';
  versionId: string;
  /** See the README: sha256 over a header line and the sorted `path\tsha256\tsize` lines. */
  digest: string;
  createdAt: string;
  fileCount: number;
  bytes: number;
  /** Sorted by the UTF-8 bytes of `path`. */
  files: ManifestFile[];
}

/** One version as `store.list()` shows it. */
export interface VersionSummary {
  versionId: string;
  digest: string;
  createdAt: string;
  files: number;
  bytes: number;
  /** The read-only version directory on this machine. */
  path: string;
}

export interface CommitResult extends VersionSummary {
  manifest: Manifest;
  /** True when an identical version (same digest, same executable bits) already existed and is returned instead. */
  reused: boolean;
  /** How the work went: what was read, what the stat cache skipped, what was new. */
  stats: { bytesRead: number; filesRead: number; filesFromCache: number; blobsCreated: number; bytesStored: number };
}

export type VerifyProblemKind =
  | 'missing'
  | 'modified'
  | 'extra'
  | 'not-a-file'
  | 'permissions'
  | 'blob-missing'
  | 'blob-corrupt';

export interface VerifyProblem {
  kind: VerifyProblemKind;
  /** Relative to the version directory; for blob problems, the blob's path in the store. */
  path: string;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  versions: { versionId: string; ok: boolean; problems: VerifyProblem[] }[];
  filesChecked: number;
  bytesHashed: number;
}

export interface GcReport {
  blobsRemoved: number;
  /** Disk space actually released (allocated blocks of blob bodies no longer linked anywhere). */
  bytesFreed: number;
  blobsKept: number;
}

export const STORE_PHASES = ['scanning', 'copying', 'finalizing', 'verifying', 'collecting', 'done'] as const;

/**
 * Progress of a long store operation, pushed at most ~10 times a second and on every
 * phase change. While `scanning`, the totals are 0 and the "done" counters count what
 * has been found so far. `bytesTotal` counts only bytes that must be read: files the
 * stat cache already knows are counted in `filesDone` from the start.
 */
export const StoreProgressSchema = z.object({
  opId: z.string(),
  phase: z.enum(STORE_PHASES),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  filesDone: z.number(),
  filesTotal: z.number(),
});
export type StoreProgress = z.infer<typeof StoreProgressSchema>;

export const contract = {
  app: {
    info: method<AppInfo>()(z.tuple([])),
  },
  settings: {
    get: method<SyncSettings>()(z.tuple([])),
    /** Validates (asking the server who the token belongs to) before saving anything. */
    update: method<SyncSettings>()(z.tuple([SettingsUpdateSchema])),
  },
  store: {
    /** Logs the dropped files and folders as a new immutable version. */
    commit: method<CommitResult>()(z.tuple([OpIdSchema, SourcesSchema])),
    /** Web mode: logs what a drop uploaded (`PUT /api/upload/<uploadId>/…`), then discards the upload. */
    commitUpload: method<CommitResult>()(z.tuple([OpIdSchema, OpIdSchema])),
    /** Cancels a running commit, verify or gc; false if no such operation runs. */
    cancel: method<{ cancelled: boolean }>()(z.tuple([OpIdSchema])),
    /** Re-hashes one version (or all, when versionId is null) and reports every problem. */
    verify: method<VerifyReport>()(z.tuple([OpIdSchema, VersionIdSchema.nullable()])),
    /** Frees blobs that no version references. */
    gc: method<GcReport>()(z.tuple([OpIdSchema])),
    /** Deletes a version; its bodies are freed by the next gc if nothing else uses them. */
    remove: method<{ versionId: string }>()(z.tuple([VersionIdSchema])),
    list: method<VersionSummary[]>()(z.tuple([])),
    /** Desktop: shows the version's folder in the file manager. */
    reveal: method<{ path: string }>()(z.tuple([VersionIdSchema])),
  },
} as const;

export type Contract = typeof contract;
export type Namespace = keyof Contract;

/** Events the host pushes to the renderer, by name, with their payload schemas. */
export const events = {
  'store.progress': StoreProgressSchema,
} as const satisfies Record<string, z.ZodType>;
export type Events = { [K in keyof typeof events]: z.infer<(typeof events)[K]> };
export type EventName = keyof Events;

type ArgsOf<S> = S extends MethodSpec<infer A, unknown> ? z.input<A> : never;
type ResultOf<S> = S extends MethodSpec<z.ZodTuple, infer R> ? R : never;

/** What the renderer sees: `host.app.info()` and friends, each returning a promise. */
export type HostApi = {
  [NS in Namespace]: {
    [M in keyof Contract[NS]]: (...args: ArgsOf<Contract[NS][M]>) => Promise<ResultOf<Contract[NS][M]>>;
  };
} & {
  /** Subscribe to a host event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /**
   * Desktop only: the absolute path of a dropped file, from webUtils.getPathForFile in
   * the preload, so dropped files never pass through the renderer.
   */
  droppedPath?(file: File): string;
  /** Web mode only: streams one file of a drop into the host's upload area, with progress. */
  uploadFile?(uploadId: string, relativePath: string, file: Blob, onProgress: (loaded: number) => void, signal?: AbortSignal): Promise<void>;
};

/** The host-side implementation: same methods, each also told who is calling. */
export type HostServices = {
  [NS in Namespace]: {
    [M in keyof Contract[NS]]: (
      ...args: [...ArgsOf<Contract[NS][M]>, CallContext]
    ) => Promise<ResultOf<Contract[NS][M]>>;
  };
};

/** Passed to every host method: how to push events back to the caller. */
export interface CallContext {
  emit<E extends EventName>(event: E, payload: Events[E]): void;
}

/** Every method as `namespace.method`, the name used on both transports. */
export type MethodName = {
  [NS in Namespace]: `${NS}.${Extract<keyof Contract[NS], string>}`;
}[Namespace];

export function methodNames(): MethodName[] {
  return Object.entries(contract).flatMap(([ns, methods]) =>
    Object.keys(methods).map((m) => `${ns}.${m}` as MethodName),
  );
}

export function methodSpec(name: string): MethodSpec | undefined {
  const [ns, m, ...rest] = name.split('.');
  if (!ns || !m || rest.length > 0 || !Object.hasOwn(contract, ns)) return undefined;
  const methods = contract[ns as Namespace] as Record<string, MethodSpec>;
  return Object.hasOwn(methods, m) ? methods[m] : undefined;
}

export { EVENT_CHANNEL, ipcChannel } from './host-methods';

// HOST_METHODS (plain data for the preload and renderer) must list exactly these methods.
type Listed = { [NS in keyof typeof HOST_METHODS]: (typeof HOST_METHODS)[NS][number] };
type Declared = { [NS in Namespace]: Extract<keyof Contract[NS], string> };
export const HOST_METHODS_MATCH_CONTRACT: [Listed] extends [Declared] ? ([Declared] extends [Listed] ? true : never) : never = true;

/** Every reply, on both transports: a value, or an error a user can act on. */
export type Reply<T = unknown> = { ok: true; value: T } | { ok: false; error: HostErrorData };

export interface HostErrorData {
  code: string;
  message: string;
}
