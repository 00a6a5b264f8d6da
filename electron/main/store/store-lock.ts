import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import { HostError } from '../../shared/host-error';
import { errnoOf } from './fs-errors';

/** Who holds a data directory's write lock; written once, read by whoever finds it taken. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** Shown to people: "the Cairn desktop app", "cairn store put". */
  owner: string;
  since: string;
  nonce: string;
  /** Linux: the process start time from /proc, so a reused pid is not mistaken for the holder. */
  startTime?: string;
}

export interface StoreLock {
  holder: LockHolder;
  release(): Promise<void>;
}

/** A takeover guard older than this belongs to a process that died mid-takeover. */
const TAKEOVER_STALE_MS = 30_000;

/**
 * Takes the data directory's write lock, or throws STORE_LOCKED naming the process
 * that holds it. The lock file is complete before it appears (written under a private
 * name, then hard-linked into place, which fails if the lock exists). A lock whose
 * process is dead is stale and taken over; the takeover itself is serialised by a
 * second O_EXCL file so two processes can't both break the same stale lock and then
 * both believe they hold the new one.
 */
export async function acquireStoreLock(lockFile: string, dataDir: string, owner: string): Promise<StoreLock> {
  const holder: LockHolder = {
    pid: process.pid,
    hostname: os.hostname(),
    owner,
    since: new Date().toISOString(),
    nonce: crypto.randomBytes(12).toString('hex'),
    startTime: await processStartTime(process.pid),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await tryCreate(lockFile, holder)) {
      return { holder, release: () => releaseLock(lockFile, holder.nonce) };
    }
    const current = await readHolder(lockFile);
    if (current === 'gone') continue;
    if (current !== 'unreadable' && (await isAlive(current))) throw lockedError(dataDir, lockFile, current);
    await takeOverStale(lockFile, dataDir, current);
  }
  throw new HostError('STORE_LOCKED', `${dataDir} is being locked and unlocked by other processes too quickly to take its lock; try again`);
}

async function tryCreate(lockFile: string, holder: LockHolder): Promise<boolean> {
  const temp = `${lockFile}.${holder.nonce}`;
  await fs.writeFile(temp, JSON.stringify(holder) + '\n', { flag: 'wx' });
  try {
    await fs.link(temp, lockFile);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP'].includes(errnoOf(error) ?? '')) throw error;
    // No hard links here (FAT, some network shares): O_EXCL create, which may be seen half-written.
    try {
      await fs.writeFile(lockFile, JSON.stringify(holder) + '\n', { flag: 'wx' });
      return true;
    } catch (e) {
      if (errnoOf(e) === 'EEXIST') return false;
      throw e;
    }
  } finally {
    await fs.rm(temp, { force: true });
  }
}

async function readHolder(lockFile: string): Promise<LockHolder | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await fs.readFile(lockFile, 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    if (typeof h.pid === 'number' && typeof h.nonce === 'string' && typeof h.hostname === 'string') return h;
  } catch {
    // fall through
  }
  // Only the no-hard-link fallback can leave a half-written lock, and only for an instant.
  const age = Date.now() - (await fs.stat(lockFile).then((s) => s.mtimeMs, () => 0));
  return age > 10_000 ? 'unreadable' : { pid: -1, hostname: os.hostname(), owner: 'a starting Cairn process', since: '', nonce: '' };
}

async function isAlive(holder: LockHolder): Promise<boolean> {
  if (holder.pid === -1) return true;
  // Another machine sharing the folder: its processes cannot be checked from here.
  if (holder.hostname !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if (errnoOf(error) === 'ESRCH') return false;
  }
  const state = await fs.readFile(`/proc/${holder.pid}/stat`, 'utf8').catch(() => undefined);
  if (state === undefined) return true; // not Linux, or no /proc: kill(0) is all we have
  const fields = state.slice(state.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z') return false; // a zombie holds nothing
  return holder.startTime === undefined || fields[19] === holder.startTime;
}

async function processStartTime(pid: number): Promise<string | undefined> {
  const state = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return state?.slice(state.lastIndexOf(')') + 2).split(' ')[19];
}

async function takeOverStale(lockFile: string, dataDir: string, stale: LockHolder | 'unreadable'): Promise<void> {
  const guard = `${lockFile}.takeover`;
  try {
    await fs.writeFile(guard, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST') throw error;
    const age = Date.now() - (await fs.stat(guard).then((s) => s.mtimeMs, () => Date.now()));
    if (age > TAKEOVER_STALE_MS) {
      await fs.rm(guard, { force: true });
      return;
    }
    throw new HostError('STORE_LOCKED', `another Cairn process is taking over a stale lock on ${dataDir}; try again in a moment`);
  }
  try {
    // Break the lock only if it is still the stale one we judged, not a fresh one taken meanwhile.
    const current = await readHolder(lockFile);
    const same = stale === 'unreadable' ? current === 'unreadable' : current !== 'gone' && current !== 'unreadable' && current.nonce === stale.nonce;
    if (same) await fs.rm(lockFile, { force: true });
  } finally {
    await fs.rm(guard, { force: true });
  }
}

async function releaseLock(lockFile: string, nonce: string): Promise<void> {
  const current = await readHolder(lockFile).catch(() => 'gone' as const);
  if (current !== 'gone' && current !== 'unreadable' && current.nonce === nonce) await fs.rm(lockFile, { force: true });
}

function lockedError(dataDir: string, lockFile: string, holder: LockHolder): HostError {
  const who = holder.pid === -1 ? holder.owner : `pid ${holder.pid}${holder.owner ? `, ${holder.owner}` : ''}${holder.since ? `, since ${holder.since}` : ''}`;
  const where = holder.hostname !== os.hostname() ? ` on ${holder.hostname} (if nothing runs there, delete ${lockFile})` : '';
  const self = holder.pid === process.pid ? ' (another store in this same process)' : '';
  return new HostError('STORE_LOCKED', `${dataDir} is being written by another Cairn process (${who})${where}${self}; wait for it to finish or use another data directory`);
}
