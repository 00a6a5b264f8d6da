import type { HostApi } from '../../../electron/shared/contract';
import { HostError } from '../../../electron/shared/host-error';

/**
 * The Electron transport is the preload's `window.cairn`. contextBridge keeps only an
 * error's message ("CODE: message"), so rejections are turned back into HostErrors.
 */
export function wrapIpcHost(bridge: HostApi): HostApi {
  const api: Record<string, unknown> = { on: bridge.on, droppedPath: bridge.droppedPath };
  for (const [ns, group] of Object.entries(bridge)) {
    if (typeof group !== 'object' || group === null) continue;
    const wrapped: Record<string, unknown> = {};
    for (const [m, fn] of Object.entries(group as Record<string, (...a: unknown[]) => Promise<unknown>>)) {
      wrapped[m] = (...args: unknown[]) => fn(...args).catch((e: unknown) => Promise.reject(toHostError(e)));
    }
    api[ns] = wrapped;
  }
  return api as HostApi;
}

function toHostError(error: unknown): HostError {
  const message = error instanceof Error ? error.message : String(error);
  // Electron prefixes "Error invoking remote method '…': "; the code follows it.
  const match = /([A-Z][A-Z0-9_]+): ([\s\S]*)$/.exec(message);
  return match ? new HostError(match[1]!, match[2]!) : new HostError('HOST_ERROR', message);
}
