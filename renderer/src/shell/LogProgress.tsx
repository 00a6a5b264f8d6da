import { formatBytes, formatDuration } from '../format';
import { go } from '../state/route';
import { isDone, useLogJobs, type LogJob } from '../state/log-jobs';
import { useRegistry } from '../state/workspace-store';
import { Button } from '../ui/Button';

const PHASE: Record<LogJob['phase'], string> = {
  uploading: 'Uploading to the host',
  scanning: 'Scanning files',
  copying: 'Hashing and storing',
  finalizing: 'Finalizing',
  verifying: 'Verifying',
  collecting: 'Collecting',
  done: 'Stored',
  recording: 'Recording the version',
  finished: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Long work shows progress: bytes, rate, time left, and a way to cancel. */
export function LogProgress() {
  const jobs = useLogJobs((s) => s.jobs);
  const { cancel, dismiss } = useLogJobs.getState();
  // Names as they are now: a version logged as pending gets its vN when the server numbers it.
  const names = useRegistry((r) => new Map(jobs.filter((j) => j.outcome).map((j) => [j.opId, r.project(j.project)?.getVersion(j.outcome!.versionId)?.name ?? j.outcome!.name])), [jobs]);
  if (jobs.length === 0) return null;
  return (
    <section className="log-panel" aria-label="Logging">
      {jobs.map((job) => {
        const fraction = job.bytesTotal > 0 ? Math.min(1, job.bytesDone / job.bytesTotal) : 0;
        const left = job.rate > 0 ? (job.bytesTotal - job.bytesDone) / job.rate : NaN;
        const done = isDone(job);
        const name = names?.get(job.opId) ?? job.outcome?.name;
        return (
          <article key={job.opId} className={`log-job log-${job.phase}`} aria-label={`Logging ${job.label} to ${job.artifact}`}>
            <header className="log-head">
              <strong className="log-title">
                {job.project}/{job.artifact}
              </strong>
              <span className="log-phase">{PHASE[job.phase]}</span>
            </header>
            <div className="log-label muted" title={job.label}>
              {job.label}
            </div>
            {!done && (
              <>
                <div className="progress" role="progressbar" aria-label={`${PHASE[job.phase]} ${job.label}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
                  <div className="progress-bar" style={{ width: `${fraction * 100}%` }} />
                </div>
                <div className="log-figures">
                  <span>
                    {formatBytes(job.bytesDone)} of {job.bytesTotal ? formatBytes(job.bytesTotal) : '…'}
                  </span>
                  <span>{job.rate > 0 ? `${formatBytes(job.rate)}/s` : ''}</span>
                  <span>{Number.isFinite(left) ? `${formatDuration(left)} left` : ''}</span>
                  <span>
                    {job.filesDone}/{job.filesTotal || '…'} files
                  </span>
                </div>
              </>
            )}
            {job.outcome && (
              <p className={job.outcome.created ? 'log-ok' : 'log-same'} role="status">
                {job.outcome.created ? (
                  <>Logged {name}.</>
                ) : (
                  <>
                    Identical content: this is already <strong>{name}</strong>, so no new version was made.
                  </>
                )}
              </p>
            )}
            {job.error && (
              <p className="log-error" role="alert">
                {job.error.message}
              </p>
            )}
            <footer className="log-actions">
              {!done && (
                <Button size="sm" onClick={() => cancel(job.opId)}>
                  Cancel
                </Button>
              )}
              {job.outcome && (
                <Button size="sm" onClick={() => go({ page: 'version', project: job.project, artifact: job.artifact, versionId: job.outcome!.versionId })}>
                  Open {name}
                </Button>
              )}
              {done && (
                <Button size="sm" variant="ghost" onClick={() => dismiss(job.opId)}>
                  Dismiss
                </Button>
              )}
            </footer>
          </article>
        );
      })}
    </section>
  );
}
