import { useEffect, useState } from 'react';

/** A loading line that appears only if loading takes longer than a blink (no flash). */
export function Loading({ what, delayMs = 250 }: { what: string; delayMs?: number }) {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setVisible(true), delayMs);
    return () => clearTimeout(t);
  }, [delayMs]);
  return visible ? (
    <p className="loading muted" role="status">
      Loading {what}…
    </p>
  ) : null;
}
