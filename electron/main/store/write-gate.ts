/**
 * Orders the store's write operations inside one process: commits run side by side
 * ("shared"); gc, remove and sweeping run alone ("exclusive"), so gc can never delete
 * a blob an in-flight commit is about to reference. First come, first served: a
 * queued exclusive operation holds back commits that arrive after it.
 *
 * The hooks tie it to the cross-process lock: `acquire` runs before the first
 * operation of a busy period (it may throw STORE_LOCKED, failing only that operation);
 * `idle` runs alone when the last one finishes, then `release` lets other processes in
 * (unless more work is queued, which then runs under the same lock).
 */
export interface WriteGateHooks {
  acquire(): Promise<void>;
  idle(): Promise<void>;
  release(): Promise<void>;
}

type Mode = 'shared' | 'exclusive';

interface Waiter {
  mode: Mode;
  start: () => void;
  fail: (error: unknown) => void;
}

export class WriteGate {
  private active = 0;
  private exclusiveActive = false;
  private held = false;
  /** Acquiring, idling or releasing: nothing starts meanwhile. */
  private transitioning = false;
  private readonly queue: Waiter[] = [];

  constructor(private readonly hooks: WriteGateHooks) {}

  async run<T>(mode: Mode, fn: () => Promise<T>): Promise<T> {
    await new Promise<void>((start, fail) => {
      this.queue.push({ mode, start, fail });
      this.pump();
    });
    try {
      return await fn();
    } finally {
      await this.exit(mode);
    }
  }

  /** True while any operation runs or waits. */
  get busy(): boolean {
    return this.active > 0 || this.queue.length > 0 || this.transitioning;
  }

  private pump(): void {
    if (this.transitioning) return;
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (this.exclusiveActive) return;
      if (head.mode === 'exclusive' && this.active > 0) return;
      if (!this.held) {
        this.transitioning = true;
        this.hooks.acquire().then(
          () => {
            this.held = true;
            this.transitioning = false;
            this.pump();
          },
          (error: unknown) => {
            this.transitioning = false;
            this.queue.shift()!.fail(error);
            this.pump();
          },
        );
        return;
      }
      this.queue.shift();
      this.active++;
      if (head.mode === 'exclusive') this.exclusiveActive = true;
      head.start();
    }
  }

  private async exit(mode: Mode): Promise<void> {
    this.active--;
    if (mode === 'exclusive') this.exclusiveActive = false;
    if (this.active > 0) return this.pump();
    this.transitioning = true;
    // Housekeeping must not turn a finished operation into a failed one: the hooks
    // report their own problems, and whatever idle left undone the next idle retries.
    await this.hooks.idle().catch(() => {});
    if (this.queue.length === 0) {
      await this.hooks.release().catch(() => {});
      this.held = false;
    }
    this.transitioning = false;
    this.pump();
  }
}
