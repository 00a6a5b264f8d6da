import { create } from 'zustand';
import type { CommitResult, StoreProgress } from '../../../electron/shared/contract';
import { HostError } from '../../../electron/shared/host-error';
import { host } from '../host';
import { useWorkspace } from './workspace-store';

/** What a user dropped or typed: paths on the host, or files the browser must upload first. */
export type LogSource =
  | { kind: 'paths'; paths: string[]; label: string }
  | { kind: 'upload'; files: { file: File; path: string }[]; label: string };

export interface LogJob {
  opId: string;
  project: string;
  artifact: string;
  label: string;
  phase: 'uploading' | StoreProgress['phase'] | 'recording' | 'finished' | 'failed' | 'cancelled';
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  startedAt: number;
  /** Bytes per second over the current phase. */
  rate: number;
  phaseStartedAt: number;
  outcome?: { versionId: string; created: boolean; name: string; duplicateOf: string | null };
  error?: { code: string; message: string };
}

interface LogJobsState {
  jobs: LogJob[];
  start(project: string, artifact: string, source: LogSource): Promise<LogJob | undefined>;
  cancel(opId: string): void;
  dismiss(opId: string): void;
}

const controllers = new Map<string, AbortController>();

export const useLogJobs = create<LogJobsState>((set, get) => {
  const patch = (opId: string, change: Partial<LogJob>) => {
    set({
      jobs: get().jobs.map((j) => {
        if (j.opId !== opId) return j;
        const next = { ...j, ...change };
        if (change.phase && change.phase !== j.phase) {
          next.phaseStartedAt = Date.now();
          next.rate = 0;
        } else if (change.bytesDone !== undefined) {
          const seconds = (Date.now() - j.phaseStartedAt) / 1000;
          next.rate = seconds > 0.2 ? change.bytesDone / seconds : j.rate;
        }
        return next;
      }),
    });
  };
  host.on('store.progress', (p) => {
    if (get().jobs.some((j) => j.opId === p.opId && !isDone(j))) patch(p.opId, p);
  });

  return {
    jobs: [],
    async start(project, artifact, source) {
      const { sync, actor, settings } = useWorkspace.getState();
      if (!sync || !actor || !settings) return undefined;
      const opId = `log-${crypto.randomUUID()}`;
      const controller = new AbortController();
      controllers.set(opId, controller);
      const now = Date.now();
      const job: LogJob = { opId, project, artifact, label: source.label, phase: source.kind === 'upload' ? 'uploading' : 'scanning', bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0, startedAt: now, phaseStartedAt: now, rate: 0 };
      set({ jobs: [...get().jobs.filter((j) => !isDone(j) || Date.now() - j.startedAt < 60_000), job] });
      try {
        let commit: CommitResult;
        if (source.kind === 'upload') {
          if (!host.uploadFile || !host.store.commitUpload) throw new HostError('NOT_SUPPORTED', 'This host cannot receive uploads.');
          const uploadId = opId;
          const total = source.files.reduce((n, f) => n + f.file.size, 0);
          patch(opId, { bytesTotal: total, filesTotal: source.files.length });
          let done = 0;
          for (const [i, { file, path }] of source.files.entries()) {
            await host.uploadFile(uploadId, path, file, (loaded) => patch(opId, { bytesDone: done + loaded, filesDone: i }), controller.signal);
            done += file.size;
            patch(opId, { bytesDone: done, filesDone: i + 1 });
          }
          commit = await host.store.commitUpload(opId, uploadId);
        } else {
          commit = await host.store.commit(opId, source.paths);
        }
        patch(opId, { phase: 'recording' });
        const project_ = sync.registry.project(project);
        if (!project_) throw new HostError('PROJECT_NOT_FOUND', `Project ${project} is not open.`);
        const recorded = project_.recordVersion(actor, {
          artifact,
          versionId: commit.versionId,
          digest: commit.digest,
          bytes: commit.bytes,
          manifest: commit.manifest.files,
          source: { kind: 'drop', path: source.kind === 'paths' ? source.paths.join(', ') : source.label, host: settings.hostname },
        });
        if (!recorded.ok) throw new HostError(recorded.error.code, recorded.error.message);
        const version = project_.getVersion(recorded.value.versionId)!;
        const outcome = { versionId: version.versionId, created: recorded.value.created, name: version.name, duplicateOf: recorded.value.duplicateOf };
        patch(opId, { phase: 'finished', outcome });
        // Finished jobs leave on their own; failures stay until dismissed.
        setTimeout(() => get().dismiss(opId), 8000);
        return get().jobs.find((j) => j.opId === opId);
      } catch (error) {
        const e = error instanceof HostError ? error : new HostError('LOG_FAILED', error instanceof Error ? error.message : String(error));
        patch(opId, e.code === 'COMMIT_CANCELLED' || controller.signal.aborted ? { phase: 'cancelled' } : { phase: 'failed', error: { code: e.code, message: e.message } });
        return get().jobs.find((j) => j.opId === opId);
      } finally {
        controllers.delete(opId);
      }
    },
    cancel(opId) {
      controllers.get(opId)?.abort();
      void host.store.cancel(opId).catch(() => undefined);
      patch(opId, { phase: 'cancelled' });
    },
    dismiss(opId) {
      set({ jobs: get().jobs.filter((j) => j.opId !== opId) });
    },
  };
});

export function isDone(job: LogJob): boolean {
  return job.phase === 'finished' || job.phase === 'failed' || job.phase === 'cancelled';
}
