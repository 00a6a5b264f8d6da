import { lazy, Suspense } from 'react';

// The markdown renderer is a tenth of the app's code and only the version and model
// pages show markdown, so it loads on first use instead of delaying every start.
const MarkdownView = lazy(() => import('./MarkdownView'));

export function Markdown({ text, empty }: { text: string; empty?: string }) {
  if (!text.trim()) return <p className="muted">{empty ?? 'No description yet.'}</p>;
  return (
    <Suspense fallback={<div className="markdown">{text}</div>}>
      <MarkdownView text={text} empty={empty} />
    </Suspense>
  );
}
