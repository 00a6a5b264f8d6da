import type { StoreProgress } from '../../shared/contract';
import { formatBytes } from './format-bytes';

/** One redrawn line on a terminal: phase, a bar over bytes (or files), rate. */
export class ProgressBar {
  private started = performance.now();
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  update(p: Omit<StoreProgress, 'opId'>): void {
    const columns = this.out.columns ?? 80;
    const width = Math.max(10, Math.min(30, columns - 70));
    const byBytes = p.bytesTotal > 0;
    const done = byBytes ? p.bytesDone : p.filesDone;
    const total = byBytes ? p.bytesTotal : p.filesTotal;
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(fraction * width);
    const seconds = (performance.now() - this.started) / 1000;
    // Most useful first: a narrow terminal cuts the end of the line.
    const parts =
      p.phase === 'scanning'
        ? [`${p.filesDone} files found`]
        : [
            `${String(Math.floor(fraction * 100)).padStart(3)}%`,
            ...(byBytes ? [`${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}`] : []),
            ...(byBytes && seconds > 0.2 ? [`${formatBytes(p.bytesDone / seconds)}/s`] : []),
            `${p.filesDone}/${p.filesTotal} files`,
          ];
    const line = `${p.phase.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${parts.join('  ')}`;
    this.out.write(`\r${line.slice(0, columns - 1)}\x1b[K`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}
