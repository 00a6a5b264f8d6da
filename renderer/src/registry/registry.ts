import type * as Y from 'yjs';
import { parseName, REGISTRY_PROJECT, type ParsedName } from './names';
import { ProjectModel, type VersionView } from './project-model';
import { fail, ok, type Result } from './result';
import type { Actor } from './roles';
import { WorkspaceModel, type LinkView } from './workspace-model';

export type Resolved =
  | { kind: 'version'; version: VersionView }
  | { kind: 'link'; link: LinkView; version: VersionView | undefined };

export interface SearchHit {
  kind: 'project' | 'artifact' | 'model' | 'version' | 'link';
  /** What to show: a name a user could type. */
  label: string;
  detail: string;
  project?: string;
  artifact?: string;
  model?: string;
  versionId?: string;
  linkId?: string;
  score: number;
}

/**
 * A workspace and the project documents opened in it: the entry point the renderer
 * and tests use. Operations that span documents (deleting a version also drops the
 * registered-model aliases of its links; names that may mean an artifact or a
 * registered model) live here.
 */
export class Registry {
  readonly workspace: WorkspaceModel;
  private readonly projectModels = new Map<string, ProjectModel>();

  constructor(
    readonly workspaceName: string,
    workspaceDoc: Y.Doc,
  ) {
    this.workspace = new WorkspaceModel(workspaceDoc, workspaceName);
  }

  /** Attaches a project document; the project consults the workspace for protected aliases. */
  openProject(name: string, doc: Y.Doc): ProjectModel {
    let model = this.projectModels.get(name);
    if (!model) this.projectModels.set(name, (model = new ProjectModel(doc, name, this.workspace)));
    return model;
  }

  closeProject(name: string): void {
    this.projectModels.get(name)?.destroy();
    this.projectModels.delete(name);
  }

  project(name: string): ProjectModel | undefined {
    return this.projectModels.get(name);
  }

  openProjects(): ProjectModel[] {
    return [...this.projectModels.values()];
  }

  destroy(): void {
    for (const name of [...this.projectModels.keys()]) this.closeProject(name);
    this.workspace.destroy();
  }

  deleteVersion(actor: Actor, project: string, versionId: string, reason: string): Result<VersionView> {
    const model = this.projectModels.get(project);
    if (!model) return fail('PROJECT_NOT_FOUND', `Project ${project} is not open.`);
    const result = model.deleteVersion(actor, versionId, reason);
    if (result.ok) this.workspace.removeAliasesOfVersion(actor, project, versionId);
    return result;
  }

  linkVersion(actor: Actor, model: string, project: string, versionId: string, aliases: string[] = []): Result<{ link: LinkView; created: boolean }> {
    const version = this.projectModels.get(project)?.getVersion(versionId);
    if (!version) return fail('VERSION_NOT_FOUND', `No version ${versionId} in project ${project}.`);
    if (version.deleted) return fail('VERSION_DELETED', `${version.name} is deleted and cannot be linked.`);
    return this.workspace.link(actor, model, { project, artifact: version.artifact, versionId: version.duplicateOf ?? versionId, digest: version.digest }, aliases);
  }

  /**
   * Resolves every name form: `name`, `name:alias`, `name:vN`, `name:latest`,
   * `project/name:…`, `workspace/project/name:…`, `registry/model:…`. A bare name is
   * a registered model if one has it, else an artifact of `currentProject`, else the
   * only open project with such an artifact.
   */
  resolve(text: string, { currentProject }: { currentProject?: string } = {}): Result<Resolved> {
    const parsed = parseName(text);
    if (!parsed.ok) return parsed;
    const name = parsed.value;
    if (name.workspace !== undefined && name.workspace !== this.workspaceName) {
      return fail('NAME_INVALID', `${text} names workspace ${name.workspace}; this is ${this.workspaceName}.`);
    }
    if (name.project?.toLowerCase() === REGISTRY_PROJECT) return this.resolveModel(name);
    if (name.project !== undefined) return this.resolveInProject(name.project, name);
    if (this.workspace.model(name.name)) return this.resolveModel(name);
    if (currentProject && this.projectModels.get(currentProject)?.artifact(name.name)) return this.resolveInProject(currentProject, name);
    const holders = [...this.projectModels.values()].filter((p) => p.artifact(name.name));
    if (holders.length === 1) return this.resolveInProject(holders[0]!.project, name);
    if (holders.length > 1) {
      return fail('AMBIGUOUS', `"${name.name}" is an artifact in ${holders.map((h) => h.project).join(', ')}; write project/${name.name}.`);
    }
    return fail('ARTIFACT_NOT_FOUND', `Nothing named "${name.name}" in workspace ${this.workspaceName}.`);
  }

  private resolveInProject(project: string, name: ParsedName): Result<Resolved> {
    const model = this.projectModels.get(project);
    if (!model) {
      return this.workspace.hasProject(project)
        ? fail('PROJECT_NOT_FOUND', `Project ${project} is not loaded yet.`)
        : fail('PROJECT_NOT_FOUND', `No project ${project} in workspace ${this.workspaceName}.`);
    }
    const version = model.resolveRef(name.name, name.ref);
    return version.ok ? ok({ kind: 'version', version: version.value }) : version;
  }

  private resolveModel(name: ParsedName): Result<Resolved> {
    const link = this.workspace.resolveModelRef(name.name, name.ref);
    if (!link.ok) return link;
    const version = this.projectModels.get(link.value.project)?.getVersion(link.value.versionId);
    return ok({ kind: 'link', link: link.value, version });
  }

  /** Quick-open search over projects, artifacts and registered models (and names, when the text is one). */
  search(text: string, limit = 20): SearchHit[] {
    const q = text.trim().toLowerCase();
    if (!q) return [];
    const hits: SearchHit[] = [];
    const score = (name: string, description = '', tags: string[] = []): number => {
      const n = name.toLowerCase();
      if (n === q) return 100;
      if (n.startsWith(q)) return 80;
      if (n.includes(q)) return 60;
      if (tags.some((t) => t.toLowerCase() === q)) return 40;
      if (description.toLowerCase().includes(q)) return 20;
      return 0;
    };
    if (text.includes(':')) {
      const resolved = this.resolve(text.trim());
      if (resolved.ok) {
        const r = resolved.value;
        if (r.kind === 'version') {
          hits.push({ kind: 'version', label: `${r.version.project}/${r.version.name}`, detail: `${text.trim()} → ${r.version.name}`, project: r.version.project, artifact: r.version.artifact, versionId: r.version.versionId, score: 1000 });
        } else {
          hits.push({ kind: 'link', label: `${REGISTRY_PROJECT}/${r.link.name}`, detail: `${text.trim()} → ${r.link.project}/${r.link.artifact}`, model: r.link.model, linkId: r.link.linkId, score: 1000 });
        }
      }
    }
    for (const p of this.workspace.projects()) {
      const s = score(p.name, p.description);
      if (s > 0) hits.push({ kind: 'project', label: p.name, detail: 'Project', project: p.name, score: s + 3 });
    }
    for (const m of this.workspace.models()) {
      const s = score(m.name, m.description, m.tags);
      if (s > 0) hits.push({ kind: 'model', label: m.name, detail: `Registered model · ${m.linkCount} linked`, model: m.name, score: s + 2 });
    }
    for (const project of this.projectModels.values()) {
      for (const a of project.artifacts()) {
        const s = score(a.name, a.description);
        if (s > 0) hits.push({ kind: 'artifact', label: `${project.project}/${a.name}`, detail: `Artifact · ${a.versionCount} versions`, project: project.project, artifact: a.name, score: s + 1 });
      }
    }
    return hits.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label)).slice(0, limit);
  }
}
