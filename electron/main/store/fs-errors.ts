import { HostError } from '../../shared/host-error';

export function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Turns the storage errors a user can act on into HostErrors; anything else is left
 * as is (a bug, reported as INTERNAL by the transport).
 */
export function storageError(error: unknown, dataDir: string, doing: string): unknown {
  if (error instanceof HostError) return error;
  switch (errnoOf(error)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new HostError('DISK_FULL', `no space left on the disk holding ${dataDir} while ${doing}; free some space (or run "store gc") and try again`);
    case 'EROFS':
      return new HostError('STORE_READ_ONLY', `${dataDir} is on a read-only file system; pick a writable data directory`);
    case 'EACCES':
    case 'EPERM':
      return new HostError('STORE_NOT_WRITABLE', `Cairn may not write in ${dataDir} (${errnoOf(error)} while ${doing}); fix its permissions or pick another data directory`);
    default:
      return error;
  }
}
