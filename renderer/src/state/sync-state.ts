import { useEffect, useState } from 'react';
import { createSyncStore, type SyncState } from '../sync/sync-store';
import { useWorkspace } from './workspace-store';

/** The current workspace's sync state (per document and overall), or null before it opens. */
export function useSyncState(): SyncState | null {
  const sync = useWorkspace((s) => s.sync);
  const [state, setState] = useState<SyncState | null>(null);
  useEffect(() => {
    if (!sync) return setState(null);
    const { store, dispose } = createSyncStore(sync);
    setState(store.getState());
    const off = store.subscribe(setState);
    return () => {
      off();
      dispose();
    };
  }, [sync]);
  return state;
}
