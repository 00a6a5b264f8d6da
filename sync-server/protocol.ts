/**
 * The y-websocket wire protocol: every message is `varUint type` then its body.
 *   0 sync:            varUint step (0 step 1 | 1 step 2 | 2 update), varUint8Array payload
 *   1 awareness:       varUint8Array awareness update
 *   2 auth:            varUint 0 (permission denied), varString reason
 *   3 query awareness: no body
 * Parsing is strict: a message must decode completely, with no trailing bytes.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
import * as Y from 'yjs';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'sync-update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array; clients: AwarenessEntry[] }
  | { type: 'auth' }
  | { type: 'query-awareness' };

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: unknown;
}

export class MalformedMessage extends Error {
  readonly code = 'MALFORMED_MESSAGE';
}

/** Decodes one client message; throws `MalformedMessage` for anything else. */
export function parseClientMessage(data: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(data);
    const message = readMessage(decoder);
    if (decoding.hasContent(decoder)) throw new MalformedMessage(`${data.length - decoder.pos} trailing bytes`);
    return message;
  } catch (e) {
    if (e instanceof MalformedMessage) throw e;
    throw new MalformedMessage((e as Error).message || 'undecodable message');
  }
}

function readMessage(decoder: decoding.Decoder): ClientMessage {
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MESSAGE_SYNC: {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === messageYjsSyncStep1) return { type: 'sync-step1', stateVector: readStateVector(payload) };
      if (step === messageYjsSyncStep2) return { type: 'sync-step2', update: payload };
      if (step === messageYjsUpdate) return { type: 'sync-update', update: payload };
      throw new MalformedMessage(`unknown sync step ${step}`);
    }
    case MESSAGE_AWARENESS: {
      const update = decoding.readVarUint8Array(decoder);
      return { type: 'awareness', update, clients: readAwarenessUpdate(update) };
    }
    case MESSAGE_AUTH:
      // Only servers send auth messages; a client's is read and ignored.
      decoding.readVarUint(decoder);
      decoding.readVarString(decoder);
      return { type: 'auth' };
    case MESSAGE_QUERY_AWARENESS:
      return { type: 'query-awareness' };
    default:
      throw new MalformedMessage(`unknown message type ${type}`);
  }
}

/** A state vector: varUint count, then (client, clock) pairs; nothing after. */
function readStateVector(payload: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(payload);
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
  }
  if (decoding.hasContent(decoder)) throw new MalformedMessage('trailing bytes in state vector');
  return payload;
}

/** An awareness update: varUint count, then (client, clock, JSON state); nothing after. */
function readAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    entries.push({ clientId, clock, state: JSON.parse(decoding.readVarString(decoder)) });
  }
  if (decoding.hasContent(decoder)) throw new MalformedMessage('trailing bytes in awareness update');
  return entries;
}

/**
 * Checks that a Yjs update decodes completely before it touches a room: applying a
 * malformed one could integrate its first part and then throw.
 */
export function assertWellFormedUpdate(update: Uint8Array): void {
  try {
    Y.decodeUpdate(update);
  } catch (e) {
    throw new MalformedMessage(`malformed Yjs update: ${(e as Error).message || 'undecodable'}`);
  }
}

/** Prefix + varUint length + payload, copied once (payloads can be tens of MB). */
function frame(prefix: readonly number[], payload: Uint8Array): Uint8Array {
  const header = encoding.createEncoder();
  for (const byte of prefix) encoding.writeVarUint(header, byte);
  encoding.writeVarUint(header, payload.length);
  const head = encoding.toUint8Array(header);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

export const encodeSyncStep1 = (stateVector: Uint8Array) => frame([MESSAGE_SYNC, messageYjsSyncStep1], stateVector);
export const encodeSyncStep2 = (update: Uint8Array) => frame([MESSAGE_SYNC, messageYjsSyncStep2], update);
export const encodeUpdate = (update: Uint8Array) => frame([MESSAGE_SYNC, messageYjsUpdate], update);
export const encodeAwareness = (update: Uint8Array) => frame([MESSAGE_AWARENESS], update);

/** y-protocols' "permission denied" auth message; the stock client logs `reason` as a warning. */
export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}
