/**
 * The names of the host API's methods and its IPC channels, as plain data: what the
 * preload and the renderer need at run time, without the schemas (and so without zod,
 * which would otherwise ship in the preload and the renderer's first bundle).
 * `contract.ts` checks at compile time that this list is exactly the contract's.
 */
export const HOST_METHODS = {
  app: ['info'],
  settings: ['get', 'update'],
  store: ['commit', 'commitUpload', 'cancel', 'verify', 'gc', 'remove', 'list', 'reveal'],
} as const;

/** The IPC channel for a method; the web transport uses `/api/call/<name>`. */
export const ipcChannel = (name: string) => `cairn:${name}`;
/** The single IPC channel on which the host pushes events. */
export const EVENT_CHANNEL = 'cairn:event';
