import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { assertWellFormedUpdate, encodeSyncStep2, MalformedMessage, parseClientMessage } from '../../sync-server/protocol';

function sample(): Y.Doc {
  const doc = new Y.Doc();
  doc.getMap('versions').set('v1', { digest: 'ab', metrics: { loss: 0.1 } });
  doc.getArray('aliasMoves').push([{ alias: 'best', target: 'v1' }]);
  doc.getText('notes').insert(0, 'hello');
  doc.getArray('aliasMoves').delete(0, 1);
  return doc;
}

/** What the stock client sends, built with y-protocols itself. */
function clientMessage(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

describe('parseClientMessage', () => {
  const doc = sample();
  it('reads the messages the stock client sends', () => {
    const step1 = clientMessage((e) => {
      encoding.writeVarUint(e, 0);
      syncProtocol.writeSyncStep1(e, doc);
    });
    expect(parseClientMessage(step1)).toEqual({ type: 'sync-step1', stateVector: Y.encodeStateVector(doc) });
    const update = Y.encodeStateAsUpdate(doc);
    const step2 = clientMessage((e) => {
      encoding.writeVarUint(e, 0);
      syncProtocol.writeSyncStep2(e, doc);
    });
    expect(parseClientMessage(step2)).toEqual({ type: 'sync-step2', update });
    expect(encodeSyncStep2(update)).toEqual(step2);
    const upd = clientMessage((e) => {
      encoding.writeVarUint(e, 0);
      syncProtocol.writeUpdate(e, update);
    });
    expect(parseClientMessage(upd)).toEqual({ type: 'sync-update', update });
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ user: { name: 'Ann' } });
    const aw = clientMessage((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]));
    });
    expect(parseClientMessage(aw)).toMatchObject({ type: 'awareness', clients: [{ clientId: doc.clientID, clock: 1, state: { user: { name: 'Ann' } } }] });
    expect(parseClientMessage(Uint8Array.of(3))).toEqual({ type: 'query-awareness' });
    awareness.destroy();
  });

  it('refuses every strict prefix of a valid message', () => {
    const message = encodeSyncStep2(Y.encodeStateAsUpdate(doc));
    for (let cut = 0; cut < message.length; cut++) {
      expect(() => parseClientMessage(message.slice(0, cut)), `prefix of ${cut} bytes`).toThrowError(MalformedMessage);
    }
  });

  it.each([
    ['trailing bytes', [0, 0, 1, 0, 9]],
    ['a state vector with trailing bytes', [0, 0, 3, 0, 1, 2]],
    ['an unknown type', [4]],
    ['an unknown sync step', [0, 3, 0]],
    ['query awareness with a body', [3, 0]],
  ])('refuses %s', (_label, bytes) => {
    expect(() => parseClientMessage(Uint8Array.from(bytes))).toThrowError(MalformedMessage);
  });
});

describe('assertWellFormedUpdate', () => {
  it('accepts real updates and refuses every truncation of one', () => {
    const update = Y.encodeStateAsUpdate(sample());
    expect(() => assertWellFormedUpdate(update)).not.toThrow();
    expect(() => assertWellFormedUpdate(Uint8Array.of(0, 0))).not.toThrow();
    let refused = 0;
    for (let cut = 1; cut < update.length; cut++) {
      try {
        assertWellFormedUpdate(update.slice(0, cut));
      } catch (e) {
        expect(e).toBeInstanceOf(MalformedMessage);
        refused++;
      }
    }
    // Decoding sees nearly every truncation; the rest are caught when Yjs integrates (see hostile-input.test.ts).
    expect(refused).toBeGreaterThan((update.length - 1) * 0.9);
  });
});
