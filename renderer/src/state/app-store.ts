import { create } from 'zustand';
import type { AppInfo, HostApi } from '../../../electron/shared/contract';
import { HostError } from '../../../electron/shared/host-error';

/** Something the host is fetching: not yet here, here, or failed with an actionable error. */
export type Loadable<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'error'; code: string; message: string };

export interface AppState {
  info: Loadable<AppInfo>;
  loadInfo(): Promise<void>;
}

export function createAppStore(host: HostApi) {
  return create<AppState>((set) => ({
    info: { status: 'loading' },
    async loadInfo() {
      set({ info: { status: 'loading' } });
      try {
        set({ info: { status: 'ready', value: await host.app.info() } });
      } catch (error) {
        const e = error instanceof HostError ? error : new HostError('HOST_ERROR', String(error));
        set({ info: { status: 'error', code: e.code, message: e.message } });
      }
    },
  }));
}
