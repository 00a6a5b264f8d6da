/** The registry document model: pure TypeScript over Yjs. See README.md. */
export * from './result';
export * from './names';
export * from './hlc';
export * from './roles';
export { parseFilter, type FilterSubject } from './filter';
export type { AliasHistoryEntry, MoveStatus } from './alias-book';
export { PROJECT_DOC, WORKSPACE_DOC, type Json, type Metadata, type SourceKind } from './schema';
export * from './project-model';
export * from './workspace-model';
export * from './registry';
export * from './sequencer';
export type { ManifestEntry } from './validate-input';
