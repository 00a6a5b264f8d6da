/**
 * The host API contract: everything the renderer may ask of the host process.
 *
 * One definition, two transports (Electron IPC and the web-mode HTTP API). Every
 * method declares the schema of its arguments (validated by the host at run time,
 * whatever the transport) and the type of its result. Events are pushed from the
 * host to the renderer (progress of long work) and are declared the same way.
 */
import { z } from 'zod';

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

export const contract = {
  app: {
    info: method<AppInfo>()(z.tuple([])),
  },
  settings: {
    get: method<SyncSettings>()(z.tuple([])),
    /** Validates (asking the server who the token belongs to) before saving anything. */
    update: method<SyncSettings>()(z.tuple([SettingsUpdateSchema])),
  },
} as const;

export type Contract = typeof contract;
export type Namespace = keyof Contract;

/** Events the host pushes to the renderer, by name, with their payload schemas. */
export const events = {} as const satisfies Record<string, z.ZodType>;
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

/** The IPC channel for a method; the web transport uses `/api/<name>`. */
export const ipcChannel = (name: MethodName | string) => `cairn:${name}`;
/** The single IPC channel on which the host pushes events. */
export const EVENT_CHANNEL = 'cairn:event';

/** Every reply, on both transports: a value, or an error a user can act on. */
export type Reply<T = unknown> = { ok: true; value: T } | { ok: false; error: HostErrorData };

export interface HostErrorData {
  code: string;
  message: string;
}
