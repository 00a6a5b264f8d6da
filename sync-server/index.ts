/** The sync server's public API: what the desktop app and tests import. */
export { createSyncServer, DEFAULT_PORT, type SyncServer, type SyncServerOptions } from './create-sync-server';
export { SEQUENCER_ORIGIN, type Sequencer } from './sequencer';
export { NAME_PATTERN, isValidName, parseRoomName, projectRoom, workspaceRoom, type RoomName } from './room-names';
export { parseTokens, readTokensFile, ROLES, type Role, type TokenEntry } from './tokens';
export type { StoredRoom, StoredUpdate, SyncStorage } from './storage/sync-storage';
export { MemoryStorage } from './storage/memory-storage';
export { SqliteStorage, SQLITE_FILE } from './storage/sqlite-storage';
export { FileStorage } from './storage/file-storage';
export { StorageLockedError } from './storage/storage-locked-error';
export { DEFAULT_LIMITS, type SyncLimits } from './limits';
export { CloseCode } from './close-codes';
export { createLogger, jsonLogger, memoryLogger, silentLogger, type Logger, type LogRecord } from './logger';
