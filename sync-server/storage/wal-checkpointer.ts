/**
 * Runs SQLite WAL checkpoints on a worker thread. A checkpoint copies the WAL into the
 * database file and fsyncs it; done inline (SQLite's auto-checkpoint) it stalls the event
 * loop, and with it every room's fan-out, for milliseconds — for a compaction's
 * multi-megabyte snapshot, for much longer. A PASSIVE checkpoint from a second connection
 * never blocks the writer, so the server's own connection only ever appends to the WAL.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** CommonJS, evaluated in the worker: no file to resolve in dev, test or bundle. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file, { timeout: 1000 });
parentPort.on('message', (message) => {
  if (message === 'checkpoint') {
    try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage({ error: String(e && e.message || e) }); }
  } else if (message === 'close') {
    db.close();
    parentPort.close();
  }
});
`;

export class WalCheckpointer {
  private readonly worker: Worker;
  private pendingBytes = 0;
  private closed = false;

  private constructor(
    worker: Worker,
    private readonly everyBytes: number,
  ) {
    this.worker = worker;
    this.worker.unref();
  }

  /** Starts the worker, which opens its own connection to `file`. */
  static start(file: string, { everyBytes = 4 * 1024 * 1024, onError }: { everyBytes?: number; onError: (message: string) => void }): WalCheckpointer {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, betterSqlite3: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    worker.on('message', (m: { error?: string }) => m.error && onError(m.error));
    worker.on('error', (e) => onError(e.message));
    return new WalCheckpointer(worker, everyBytes);
  }

  /** Counts bytes written; asks for a checkpoint once enough have accumulated. */
  wrote(bytes: number): void {
    this.pendingBytes += bytes;
    if (this.closed || this.pendingBytes < this.everyBytes) return;
    this.pendingBytes = 0;
    this.worker.postMessage('checkpoint');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Keep the process alive until the worker has closed its connection.
    this.worker.ref();
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('close');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 2_000)))]);
    clearTimeout(timer);
    await this.worker.terminate();
  }
}
