import { useState } from 'react';

/** Copies text (a name, a digest) and says so for a moment. */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="copy"
      aria-label={`Copy ${label ?? text}`}
      title="Copy"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1200);
          },
          () => undefined,
        );
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

export function CopyableName({ text, label }: { text: string; label?: string }) {
  return (
    <div className="copyable">
      <code className="mono">{text}</code>
      <CopyButton text={text} label={label} />
    </div>
  );
}
