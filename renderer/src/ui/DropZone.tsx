import { useState, type ReactNode } from 'react';
import type { LogSource } from '../state/log-jobs';
import { sourceFromDrop } from './drop-files';

/**
 * A region that accepts a checkpoint dropped onto it. While something is dragged over
 * it, an overlay says what will happen ("Drop to log a new version of resnet50").
 */
export function DropZone({ label, disabledReason, onSource, onError, children }: { label: string; disabledReason?: string | null; onSource: (source: LogSource) => void; onError: (message: string) => void; children: ReactNode }) {
  const [over, setOver] = useState(0);
  return (
    <div
      className="drop-zone"
      role="region"
      aria-label={disabledReason ? 'Drop zone (read-only)' : label}
      onDragEnter={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setOver((n) => n + 1);
      }}
      onDragLeave={() => setOver((n) => Math.max(0, n - 1))}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = disabledReason ? 'none' : 'copy';
      }}
      onDrop={(e) => {
        e.preventDefault();
        setOver(0);
        if (disabledReason) return onError(disabledReason);
        void sourceFromDrop(e.dataTransfer).then((s) => ('error' in s ? onError(s.error) : onSource(s)));
      }}
    >
      {children}
      {over > 0 && (
        <div className={`drop-overlay${disabledReason ? ' drop-refused' : ''}`} aria-hidden="true">
          <div className="drop-overlay-text">{disabledReason ?? label}</div>
        </div>
      )}
    </div>
  );
}
