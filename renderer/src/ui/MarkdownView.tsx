import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

/** Markdown for descriptions and model cards. No raw HTML: react-markdown escapes it. */
export default function MarkdownView({ text, empty }: { text: string; empty?: string }) {
  if (!text.trim()) return <p className="muted">{empty ?? 'No description yet.'}</p>;
  return (
    <div className="markdown">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        components={{
          // Links open in the system browser (Electron) or a new tab (web); never navigate the app.
          a: ({ href, children }) => (
            <a href={href} target="_blank" rel="noreferrer noopener">
              {children}
            </a>
          ),
          img: ({ alt }) => <span className="muted">[image: {alt}]</span>,
        }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
