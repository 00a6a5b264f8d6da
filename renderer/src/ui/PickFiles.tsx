import { useRef } from 'react';
import type { LogSource } from '../state/log-jobs';
import { Button } from './Button';
import { sourceFromPicker } from './drop-files';

/** The keyboard-and-click way to what a drop does: choose a checkpoint folder or files. */
export function PickFiles({ disabledReason, onSource, onError }: { disabledReason: string | null; onSource: (s: LogSource) => void; onError: (m: string) => void }) {
  const folder = useRef<HTMLInputElement>(null);
  const files = useRef<HTMLInputElement>(null);
  const take = (input: HTMLInputElement | null) => {
    if (!input?.files) return;
    const source = sourceFromPicker(input.files);
    input.value = '';
    if ('error' in source) onError(source.error);
    else onSource(source);
  };
  return (
    <span className="pick-files">
      <Button size="sm" onClick={() => folder.current?.click()} disabledReason={disabledReason}>
        Choose folder…
      </Button>
      <Button size="sm" onClick={() => files.current?.click()} disabledReason={disabledReason}>
        Choose files…
      </Button>
      <input ref={folder} type="file" hidden aria-label="Checkpoint folder" {...{ webkitdirectory: '', directory: '' }} multiple onChange={(e) => take(e.currentTarget)} />
      <input ref={files} type="file" hidden aria-label="Checkpoint files" multiple onChange={(e) => take(e.currentTarget)} />
    </span>
  );
}
