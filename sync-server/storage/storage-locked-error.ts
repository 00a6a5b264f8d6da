/** Another server (or Cairn process) already owns this storage. */
export class StorageLockedError extends Error {
  readonly code = 'DATA_DIR_IN_USE';
}
