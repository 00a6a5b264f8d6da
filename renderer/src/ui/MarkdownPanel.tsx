import { useId, useState } from 'react';
import { Button } from './Button';
import { Markdown } from './Markdown';
import { Panel } from './Panel';

/** A panel showing markdown (a description, a model card), editable in place. */
export function MarkdownPanel({ title, text, empty, rows = 8, className, disabledReason, onSave }: { title: string; text: string; empty?: string; rows?: number; className?: string; disabledReason: string | null; onSave: (text: string) => boolean }) {
  const [editing, setEditing] = useState<string | null>(null);
  const id = useId();
  const what = title.toLowerCase();
  return (
    <Panel
      id={id}
      title={title}
      className={className}
      actions={
        editing === null && (
          <Button size="sm" variant="ghost" onClick={() => setEditing(text)} disabledReason={disabledReason}>
            Edit {what}
          </Button>
        )
      }
    >
      <div className="panel-pad">
        {editing === null ? (
          <Markdown text={text} {...(empty ? { empty } : {})} />
        ) : (
          <>
            <textarea aria-label={`${title} (markdown)`} className="editor" rows={rows} value={editing} onChange={(e) => setEditing(e.target.value)} />
            <div className="inline-form">
              <Button size="sm" variant="primary" onClick={() => onSave(editing) && setEditing(null)}>
                Save {what}
              </Button>
              <Button size="sm" onClick={() => setEditing(null)}>
                Cancel
              </Button>
            </div>
          </>
        )}
      </div>
    </Panel>
  );
}
