import type * as Y from 'yjs';

/**
 * Runs after updates were applied to a room (and after a room loads). It may change
 * the doc, e.g. give new versions their permanent numbers; whatever it changes is
 * persisted and broadcast like any client update, in the same flush, exactly once.
 * Updates it makes never trigger it again, whatever transaction origin it uses.
 */
export type Sequencer = (room: { readonly name: string; readonly doc: Y.Doc }) => void;

/**
 * The conventional transaction origin for sequencer changes: `doc.transact(fn, SEQUENCER_ORIGIN)`.
 * A registered symbol, so the registry model can use `Symbol.for('cairn.sequencer')`
 * without importing the server.
 */
export const SEQUENCER_ORIGIN: unique symbol = Symbol.for('cairn.sequencer') as never;
