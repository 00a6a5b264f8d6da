import * as Y from 'yjs';

export type LogHandler = (values: unknown[]) => void;

/**
 * Feeds every value appended to a set of Y.Array logs to its handler: the existing
 * content at once, then each transaction's new values. New values are found from the
 * transaction's state vectors (only the structs it added are visited), not from
 * `event.changes`, which walks the whole array and would make every append O(n).
 * Logs are append-only; if a (hostile or buggy) replica deletes log items, `onReset`
 * is called so the caller rebuilds from the document as it now is.
 */
export function followLogs(doc: Y.Doc, logs: Map<Y.Array<unknown>, LogHandler>, onReset: () => void, onAfter?: () => void): () => void {
  for (const [array, handler] of logs) {
    const values = array.toArray();
    if (values.length > 0) handler(values);
  }
  const parents = new Set<Y.AbstractType<unknown>>(logs.keys() as Iterable<Y.AbstractType<unknown>>);
  const listener = (tr: Y.Transaction) => {
    let reset = false;
    if (tr.deleteSet.clients.size > 0) {
      Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
        if (struct instanceof Y.Item && parents.has(struct.parent as Y.AbstractType<unknown>)) reset = true;
      });
    }
    if (reset) return onReset();
    let touched = false;
    for (const [client, after] of tr.afterState) {
      const before = tr.beforeState.get(client) ?? 0;
      if (after <= before) continue;
      const structs = doc.store.clients.get(client);
      if (!structs) continue;
      for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
        const struct = structs[i]!;
        if (struct.id.clock >= after) break;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        const handler = logs.get(struct.parent as Y.Array<unknown>);
        if (!handler) continue;
        let values = struct.content.getContent();
        const start = Math.max(0, before - struct.id.clock);
        const end = Math.min(struct.length, after - struct.id.clock);
        if (start > 0 || end < struct.length) values = values.slice(start, end);
        if (values.length > 0) {
          touched = true;
          handler(values);
        }
      }
    }
    if (touched) onAfter?.();
  };
  doc.on('afterTransaction', listener);
  return () => doc.off('afterTransaction', listener);
}
