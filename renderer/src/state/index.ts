import { host } from '../host';
import { createAppStore } from './app-store';

/** The app-wide store, bound to this window's host. */
export const useAppStore = createAppStore(host);
