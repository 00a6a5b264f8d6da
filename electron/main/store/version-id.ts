import crypto from 'node:crypto';
import { VERSION_ID_PATTERN } from '../../shared/contract';
import { HostError } from '../../shared/host-error';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A new versionId: 48 bits of milliseconds then 80 random bits, in lowercase
 * Crockford base32 (26 characters). Sorting ids sorts versions by creation time,
 * and the random part makes ids from offline machines collide with probability ~0.
 */
export function newVersionId(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const random = crypto.randomBytes(10);
  let bits = 0n;
  for (const byte of random) bits = (bits << 8n) | BigInt(byte);
  let rand = '';
  for (let i = 0; i < 16; i++) {
    rand = ALPHABET[Number(bits & 31n)]! + rand;
    bits >>= 5n;
  }
  return time + rand;
}

export function isVersionId(value: string): boolean {
  return VERSION_ID_PATTERN.test(value);
}

/** Ids reach the store from IPC, HTTP and the CLI: refuse anything that is not exactly an id. */
export function assertVersionId(value: string): void {
  if (!isVersionId(value)) {
    throw new HostError('VERSION_ID_INVALID', `"${value.slice(0, 80)}" is not a Cairn version id (26 characters of 0-9 and a-z without i, l, o, u)`);
  }
}
