import * as Y from 'yjs';
import { DEFAULT_MAX_SKEW_MS, hlcWall, stampId } from './hlc';
import { ProjectModel } from './project-model';
import { PROJECT_DOC, WORKSPACE_DOC } from './schema';
import { WorkspaceModel } from './workspace-model';

/** The transaction origin of the sequencer's writes (the sync server must not loop on them). */
export const SEQUENCER_ORIGIN = Symbol.for('cairn.sequencer');

export interface SequencerOptions {
  /** The server's clock. */
  now?: () => number;
  /** Alias moves stamped further than this ahead of the server's clock are rejected. */
  maxSkewMs?: number;
}

export interface SequencerResult {
  versions: number;
  links: number;
  rejectedMoves: number;
}

interface DocState {
  project?: ProjectModel;
  workspace?: WorkspaceModel;
}

const states = new WeakMap<Y.Doc, DocState>();

/**
 * The sync server's sequencer. Gives every version its permanent `vN` within its
 * artifact and every link its index within its registered model, in the order the
 * server received them; a number once given is never changed or reused. Also rejects
 * alias moves whose clock is too far ahead of the server's, so a laptop with a wrong
 * clock cannot pin an alias forever. Idempotent: running it again writes nothing new.
 * The models it keeps per document follow the document, so each call costs only what
 * arrived since the last one.
 */
export function assignNumbers(doc: Y.Doc, options: SequencerOptions = {}): SequencerResult {
  const now = (options.now ?? Date.now)();
  const maxSkew = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  let state = states.get(doc);
  if (!state) states.set(doc, (state = {}));
  if (!state.project && doc.share.has(PROJECT_DOC.versions)) {
    state.project = new ProjectModel(doc, '(sequencer)');
    state.project.enableSequencing();
  }
  if (!state.workspace && (doc.share.has(WORKSPACE_DOC.links) || doc.share.has(WORKSPACE_DOC.models))) {
    state.workspace = new WorkspaceModel(doc, '(sequencer)');
    state.workspace.enableSequencing();
  }
  const result: SequencerResult = { versions: 0, links: 0, rejectedMoves: 0 };
  const { project, workspace } = state;
  const versionEntries: string[] = [];
  const linkEntries: string[] = [];
  const rejected: { array: string; id: string }[] = [];
  if (project) {
    const next = new Map<string, number>();
    for (const { versionId, artifact } of project.unnumbered()) {
      const n = next.get(artifact) ?? project.nextNumber(artifact);
      next.set(artifact, n + 1);
      versionEntries.push(`${versionId} ${n}`);
    }
    for (const move of project.takeNewMoves()) {
      if (hlcWall(move.hlc) > now + maxSkew) rejected.push({ array: PROJECT_DOC.rejected, id: stampId(move) });
    }
  }
  if (workspace) {
    const next = new Map<string, number>();
    for (const { linkId, model } of workspace.unnumberedLinks()) {
      const n = next.get(model) ?? workspace.nextLinkNumber(model);
      next.set(model, n + 1);
      linkEntries.push(`${linkId} ${n}`);
    }
    for (const move of workspace.takeNewMoves()) {
      if (hlcWall(move.hlc) > now + maxSkew) rejected.push({ array: WORKSPACE_DOC.rejected, id: stampId(move) });
    }
  }
  if (versionEntries.length + linkEntries.length + rejected.length === 0) return result;
  doc.transact(() => {
    if (versionEntries.length > 0) doc.getArray<string>(PROJECT_DOC.numbers).push(versionEntries);
    if (linkEntries.length > 0) doc.getArray<string>(WORKSPACE_DOC.linkNumbers).push(linkEntries);
    for (const r of rejected) doc.getArray<string>(r.array).push([r.id]);
  }, SEQUENCER_ORIGIN);
  result.versions = versionEntries.length;
  result.links = linkEntries.length;
  result.rejectedMoves = rejected.length;
  return result;
}

/** The sync server's hook: numbers the room's document after every change. */
export function sequenceRoom(room: { name: string; doc: Y.Doc }): void {
  assignNumbers(room.doc);
}
