import { useState } from 'react';
import type { SyncSettings } from '../../../electron/shared/contract';
import { Loading } from '../ui/Loading';
import { HostError } from '../../../electron/shared/host-error';
import { host } from '../host';
import { useAppStore } from '../state';
import { notify } from '../state/notices';
import { useWorkspace } from '../state/workspace-store';
import { Button } from '../ui/Button';
import { ErrorNote } from '../ui/ErrorNote';
import { PageHeader } from './PageHeader';
import { Panel } from '../ui/Panel';

export function SettingsPage() {
  const settings = useWorkspace((s) => s.settings);
  // The form starts from the saved settings; until they are known there is nothing to edit.
  return settings ? <SettingsForm key={`${settings.mode}:${settings.serverUrl}:${settings.displayName}`} settings={settings} /> : <Loading what="settings" />;
}

function SettingsForm({ settings }: { settings: SyncSettings }) {
  const restart = useWorkspace((s) => s.restart);
  const info = useAppStore((s) => s.info);
  const [mode, setMode] = useState<'local' | 'server'>(settings.mode);
  const [serverUrl, setServerUrl] = useState(settings.serverUrl ?? '');
  const [token, setToken] = useState(settings.mode === 'server' ? settings.token : '');
  const [displayName, setDisplayName] = useState(settings.displayName);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const next = await host.settings.update(mode === 'local' ? { serverUrl: null, displayName } : { serverUrl, token, displayName });
      await restart(next);
      notify('success', next.mode === 'local' ? 'Using the local workspace on this machine.' : `Connected to ${next.workspace} as ${next.role}.`);
    } catch (e) {
      setError(e instanceof HostError ? { code: e.code, message: e.message } : { code: 'ERROR', message: String(e) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="page">
      <PageHeader crumbs={[{ label: 'Settings' }]} />
      <div className="page-body settings">
        <h1 className="page-title">Settings</h1>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <Panel id="identity" title="You">
            <div className="panel-pad">
              <label className="field">
                <span>Display name</span>
                <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
                <small>Shown to teammates next to what you log and move.</small>
              </label>
            </div>
          </Panel>
          <Panel id="sync" title="Sync">
            <div className="panel-pad">
              <fieldset className="radio-group">
                <legend className="sr-only">Where the registry lives</legend>
                <label>
                  <input type="radio" name="mode" checked={mode === 'local'} onChange={() => setMode('local')} /> Local only — this machine is the workspace's home (no server to run)
                </label>
                <label>
                  <input type="radio" name="mode" checked={mode === 'server'} onChange={() => setMode('server')} /> A team's sync server
                </label>
              </fieldset>
              {mode === 'server' && (
                <>
                  <label className="field">
                    <span>Sync server URL</span>
                    <input value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} placeholder="http://10.0.0.5:4455" spellCheck={false} />
                  </label>
                  <label className="field">
                    <span>Token</span>
                    <input type="password" value={token} onChange={(e) => setToken(e.target.value)} placeholder="from your workspace admin" autoComplete="off" />
                    <small>Checked with the server before it is saved.</small>
                  </label>
                </>
              )}
              <ErrorNote error={error} />
              {(
                <p className="muted small">
                  Now: {settings.mode === 'local' ? 'local workspace on this machine' : `${settings.workspace} on ${settings.serverUrl}`} as <strong>{settings.role}</strong>.
                </p>
              )}
            </div>
          </Panel>
          <Panel id="data" title="Data">
            <dl className="facts">
              <div className="fact">
                <dt>Data directory</dt>
                <dd className="mono">{info.status === 'ready' ? info.value.dataDir : '…'}</dd>
              </div>
              <div className="fact">
                <dt>Version</dt>
                <dd>{info.status === 'ready' ? `${info.value.version} (${info.value.shell === 'electron' ? 'desktop' : 'web mode'}, ${info.value.platform})` : '…'}</dd>
              </div>
            </dl>
          </Panel>
          <div className="inline-form">
            <Button type="submit" variant="primary" disabled={saving}>
              {saving ? 'Checking…' : 'Save settings'}
            </Button>
          </div>
        </form>
      </div>
    </div>
  );
}
