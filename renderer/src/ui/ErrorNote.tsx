export function ErrorNote({ error, onDismiss }: { error: { code?: string; message: string } | null; onDismiss?: () => void }) {
  if (!error) return null;
  return (
    <div className="error-note" role="alert">
      <span>{error.message}</span>
      {onDismiss && (
        <button type="button" className="chip-x" aria-label="Dismiss" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}
