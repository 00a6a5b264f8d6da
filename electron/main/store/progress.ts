import type { StoreProgress } from '../../shared/contract';

export type ProgressUpdate = Omit<StoreProgress, 'opId'>;
export type ProgressListener = (progress: ProgressUpdate) => void;

/**
 * Counts progress on every chunk but passes it on at most every `intervalMs`, and
 * always on a phase change and at the end: a 100k-file commit must not flood IPC.
 */
export class ProgressMeter {
  private state: ProgressUpdate = { phase: 'scanning', bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0 };
  private lastSent = -Infinity;

  constructor(
    private readonly listener: ProgressListener | undefined,
    private readonly intervalMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {}

  phase(phase: ProgressUpdate['phase'], totals: Partial<ProgressUpdate> = {}): void {
    this.state = { ...this.state, ...totals, phase };
    this.send();
  }

  add(bytes: number, files = 0): void {
    this.state.bytesDone += bytes;
    this.state.filesDone += files;
    if (this.now() - this.lastSent >= this.intervalMs) this.send();
  }

  set(update: Partial<ProgressUpdate>): void {
    Object.assign(this.state, update);
    if (this.now() - this.lastSent >= this.intervalMs) this.send();
  }

  get current(): ProgressUpdate {
    return { ...this.state };
  }

  private send(): void {
    this.lastSent = this.now();
    this.listener?.({ ...this.state });
  }
}
