/**
 * A workspace for UI benchmarks: 10 projects of 10,000 versions each (100,000 in all),
 * written straight into a sync server's SQLite storage, as if a team had logged them.
 * Project 0 holds one 10,000-version artifact, the page the benchmark opens.
 */
import * as Y from 'yjs';
import { projectRoom, workspaceRoom } from '../../sync-server/room-names';
import { SqliteStorage, SQLITE_FILE } from '../../sync-server/storage/sqlite-storage';
import { WORKSPACE_DOC } from '../../renderer/src/registry';
import { buildLargeProjectDoc } from './large-project-doc';
import path from 'node:path';

export const UI_WORKSPACE = 'bench';
export const projectName = (i: number) => `project-${String(i).padStart(2, '0')}`;

export function writeLargeWorkspace(syncDataDir: string, { projects = 10, versionsPerProject = 10_000 } = {}): { bigProject: string; bigArtifact: string } {
  const storage = new SqliteStorage(path.join(syncDataDir, SQLITE_FILE));
  try {
    const workspace = new Y.Doc();
    const map = workspace.getMap<string>(WORKSPACE_DOC.projects);
    let big = '';
    for (let i = 0; i < projects; i++) {
      const name = projectName(i);
      map.set(name, JSON.stringify({ name, description: `Benchmark project ${i}`, createdAt: Date.UTC(2026, 0, 1), by: 'bench' }));
      // Project 0: one artifact with every version; the others: 10 artifacts.
      const built = buildLargeProjectDoc({ versions: versionsPerProject, artifacts: i === 0 ? 1 : 10, bigArtifactVersions: i === 0 ? versionsPerProject : 1000, aliasMoves: 1000, seed: 100 + i });
      if (i === 0) big = built.bigArtifact;
      storage.compact(projectRoom(UI_WORKSPACE, name), Y.encodeStateAsUpdate(built.doc));
      built.doc.destroy();
    }
    storage.compact(workspaceRoom(UI_WORKSPACE), Y.encodeStateAsUpdate(workspace));
    return { bigProject: projectName(0), bigArtifact: big };
  } finally {
    void storage.close();
  }
}
