import type { EventName, Events, HostApi } from './contract';
import { HOST_METHODS } from './host-methods';

export type Invoke = (method: string, args: unknown[]) => Promise<unknown>;
export type Subscribe = <E extends EventName>(event: E, listener: (payload: Events[E]) => void) => () => void;

/**
 * Builds the object the renderer calls (`host.app.info()`) from the contract and a
 * transport: both transports produce exactly the contract's shape, nothing more.
 */
export function buildHostApi(invoke: Invoke, subscribe: Subscribe): HostApi {
  const api: Record<string, unknown> = { on: subscribe };
  for (const [ns, methods] of Object.entries(HOST_METHODS)) {
    const group: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const m of methods) group[m] = (...args) => invoke(`${ns}.${m}`, args);
    api[ns] = group;
  }
  return api as HostApi;
}
