import { useState } from 'react';
import { useWorkspace } from '../state/workspace-store';
import { useSyncState } from '../state/sync-state';

const LABEL = { offline: 'Offline', syncing: 'Syncing', synced: 'Synced' } as const;

/** Honest sync state: offline / syncing / synced, what has not reached the server, who is online. */
export function SyncStatus() {
  const state = useSyncState();
  const settings = useWorkspace((s) => s.settings);
  const sync = useWorkspace((s) => s.sync);
  const [paused, setPaused] = useState(false);
  if (!state) return null;
  const where = settings?.mode === 'local' ? 'this machine' : settings?.serverUrl ? new URL(settings.serverUrl).host : 'server';
  return (
    <div className="sync-status" aria-label="Sync status" data-documents={Object.keys(state.rooms).length} data-overall={state.overall}>
      <div className="sync-line" role="status" aria-live="polite">
        <span className={`status-dot status-${state.overall}`} aria-hidden="true" />
        <span className="sync-label">{LABEL[state.overall]}</span>
        <span className="muted sync-where" title={`Sync server: ${where}`}>
          · {where}
        </span>
        {state.pending > 0 && (
          <span className="sync-pending" title="Changes saved on this machine that the server has not confirmed yet">
            {state.pending} pending
          </span>
        )}
      </div>
      <button
        type="button"
        className="link-button"
        aria-pressed={paused}
        title={paused ? 'Reconnect and send what you changed meanwhile' : 'Stop syncing; keep working on this machine (edits are kept and sent when you go online)'}
        onClick={() => {
          if (paused) sync?.goOnline();
          else sync?.goOffline();
          setPaused(!paused);
        }}
      >
        {paused ? 'Go online' : 'Work offline'}
      </button>
      {state.teammates.length > 0 && (
        <ul className="teammates" aria-label="Teammates online">
          {state.teammates.map((t) => (
            <li key={t.sessionId} className="teammate" title={`${t.name}${t.viewing ? ` — viewing ${t.viewing}` : ''}`}>
              <span className="avatar" style={{ background: t.color }} aria-hidden="true">
                {t.name.slice(0, 1).toUpperCase()}
              </span>
              <span className="teammate-name">{t.name}</span>
              {t.viewing && <span className="teammate-viewing muted">{t.viewing}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
