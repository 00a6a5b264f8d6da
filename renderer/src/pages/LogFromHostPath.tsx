import { useState } from 'react';
import { useLogJobs } from '../state/log-jobs';
import { Button } from '../ui/Button';

/** For a training box served by web mode: log a folder that is already on the host. */
export function LogFromHostPath({ project, artifact, disabledReason, onStarted }: { project: string; artifact: string | null; disabledReason: string | null; onStarted?: (artifact: string) => void }) {
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const start = useLogJobs((s) => s.start);
  const target = artifact ?? (name.trim() || baseName(path));
  return (
    <form
      className="host-path"
      aria-label="Log from path on host"
      onSubmit={(e) => {
        e.preventDefault();
        if (!path.trim() || !target) return;
        void start(project, target, { kind: 'paths', paths: [path.trim()], label: path.trim() });
        onStarted?.(target);
        setPath('');
      }}
    >
      <label className="field-inline">
        <span>Log from path on host</span>
        <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/data/runs/resnet50/ckpt-1200" aria-label="Folder path on host" disabled={!!disabledReason} title={disabledReason ?? undefined} />
      </label>
      {!artifact && (
        <label className="field-inline">
          <span>as artifact</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder={baseName(path) || 'artifact name'} aria-label="Artifact name" disabled={!!disabledReason} />
        </label>
      )}
      <Button type="submit" disabledReason={disabledReason} disabled={!path.trim() || !target}>
        Log version
      </Button>
    </form>
  );
}

export function baseName(path: string): string {
  const base = path.trim().replace(/[/\\]+$/, '').split(/[/\\]/).pop() ?? '';
  return base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 128);
}
