import type * as Y from 'yjs';
import { AliasBook } from './alias-book';
import { compareStamped, stampId, type Stamped } from './hlc';
import type { Actor } from './roles';
import { asMove, parseNumberEntry, parseRecord, type AliasMove } from './schema';

/** A numbered thing (a version, a link): its id, when this replica took it in, and its stamp. */
export interface NumberedRow {
  readonly id: string;
  readonly arrival: number;
  stamp(): Stamped;
}

/** The canonical rows of one artifact or registered model, as the UI and resolution see them. */
export interface Canonical<R> {
  /** Live, canonical rows: numbered ascending, then pending by stamp. */
  live: R[];
  byNumber: Map<number, R>;
  /** Duplicate id → the canonical id it stands for. */
  duplicates: Map<string, string>;
  /** The highest-numbered live row; before anything is numbered, the newest pending one. */
  latest: R | undefined;
}

/**
 * What the project and workspace models share: change notification, the replica's
 * view of time (so local writes order after everything seen), the alias move log,
 * and the sequencer's numbers with the rule that picks one canonical row among
 * duplicates (lowest number first, then earliest stamp).
 */
export abstract class DocModel<R extends NumberedRow> {
  protected aliasBook = new AliasBook();
  protected readonly numbers = new Map<string, number>();
  /** Ids still waiting for the sequencer's number. */
  protected readonly pendingNumbers = new Set<string>();
  protected arrival = 0;
  private readonly listeners = new Set<() => void>();
  private rev = 0;
  /** The greatest timestamp taken in. */
  private maxSeen = '';
  /** Moves the sequencer has not clock-checked yet; only kept once sequencing is enabled. */
  private moveQueue: AliasMove[] | undefined;

  constructor(readonly doc: Y.Doc) {}

  /** Increments on every change the model has taken in (for UI caches). */
  revision(): number {
    return this.rev;
  }

  /** Called after every change from any replica. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  protected changed(): void {
    this.rev++;
    for (const listener of this.listeners) listener();
  }

  protected clearListeners(): void {
    this.listeners.clear();
  }

  /** Forgets everything derived from the document (before a rebuild). */
  protected resetShared(): void {
    this.aliasBook = new AliasBook();
    this.numbers.clear();
    this.pendingNumbers.clear();
    if (this.moveQueue) this.moveQueue = [];
  }

  protected see(hlc: string): void {
    if (hlc > this.maxSeen) this.maxSeen = hlc;
  }

  /** A timestamp after everything this replica has seen, so local edits order after them. */
  protected stamp(actor: Actor): string {
    if (this.maxSeen) actor.clock.receive(this.maxSeen);
    return actor.clock.now();
  }

  /** Takes in a move record; returns its scope, or undefined when the record is malformed. */
  protected ingestMoveRecord(value: unknown): string | undefined {
    const move = asMove(parseRecord(value));
    if (!move) return undefined;
    this.see(move.hlc);
    this.moveQueue?.push(move);
    return this.aliasBook.add(move);
  }

  /** Takes in a sequencer rejection; returns the scope of the rejected move, when known. */
  protected ingestRejectionRecord(value: unknown): string | undefined {
    return typeof value === 'string' ? this.aliasBook.reject(value) : undefined;
  }

  /** Takes in a sequencer number; returns the numbered id when it is new. */
  protected ingestNumberRecord(value: unknown): string | undefined {
    const entry = parseNumberEntry(value);
    if (!entry || this.numbers.has(entry[0])) return undefined;
    this.numbers.set(entry[0], entry[1]);
    this.pendingNumbers.delete(entry[0]);
    return entry[0];
  }

  protected trackPending(id: string): void {
    if (!this.numbers.has(id)) this.pendingNumbers.add(id);
  }

  /** The alias move record to append: stamped now, pointing at what its author saw. */
  protected newMove(actor: Actor, scope: string, alias: string, target: string | null): AliasMove {
    const winner = this.aliasBook.winner(scope, alias);
    return { scope, alias, target, hlc: this.stamp(actor), clientId: this.doc.clientID, by: actor.name, seen: winner ? stampId(winner) : null };
  }

  /** Numbered before pending; lower number first; pending by stamp. */
  protected precedes(a: R, b: R): boolean {
    const na = this.numbers.get(a.id);
    const nb = this.numbers.get(b.id);
    if (na !== undefined && nb !== undefined) return na < nb;
    if (na !== undefined) return true;
    if (nb !== undefined) return false;
    return compareStamped(a.stamp(), b.stamp()) < 0;
  }

  /** Among live rows, one canonical row per key (content or target); the others are duplicates. */
  protected canonicalize(rows: readonly R[], isLive: (r: R) => boolean, keyOf: (r: R) => string): Canonical<R> {
    const byNumber = new Map<number, R>();
    const canonicalByKey = new Map<string, R>();
    for (const row of rows) {
      const n = this.numbers.get(row.id);
      if (n !== undefined) byNumber.set(n, row);
      if (!isLive(row)) continue;
      const key = keyOf(row);
      const other = canonicalByKey.get(key);
      if (!other || this.precedes(row, other)) canonicalByKey.set(key, row);
    }
    const duplicates = new Map<string, string>();
    const live: R[] = [];
    for (const row of rows) {
      if (!isLive(row)) continue;
      const canonical = canonicalByKey.get(keyOf(row))!;
      if (canonical === row) live.push(row);
      else duplicates.set(row.id, canonical.id);
    }
    live.sort((a, b) => (this.precedes(a, b) ? -1 : 1));
    let latest: R | undefined;
    for (const row of live) if (this.numbers.has(row.id)) latest = row;
    latest ??= live[live.length - 1];
    return { live, byNumber, duplicates, latest };
  }

  // ---- for the sequencer ----

  /**
   * Rows waiting for a number, in arrival order, except copies of a row that already
   * has one (they stand for it and stay unnumbered).
   */
  protected waitingForNumbers(rowOf: (id: string) => R | undefined, duplicatesOf: (row: R) => Map<string, string>): R[] {
    const out: R[] = [];
    for (const id of this.pendingNumbers) {
      const row = rowOf(id);
      if (!row) continue;
      const canonical = duplicatesOf(row).get(id);
      if (canonical !== undefined && this.numbers.has(canonical)) continue;
      out.push(row);
    }
    return out.sort((a, b) => a.arrival - b.arrival);
  }

  /** The next number in a scope: one past the highest ever given (deleted rows keep theirs). */
  protected nextNumberAmong(rows: readonly R[]): number {
    let max = -1;
    for (const row of rows) {
      const n = this.numbers.get(row.id);
      if (n !== undefined && n > max) max = n;
    }
    return max + 1;
  }

  numberOf(id: string): number | null {
    return this.numbers.get(id) ?? null;
  }

  /** Starts queueing moves for the sequencer's clock check (server side only). */
  enableSequencing(): void {
    this.moveQueue ??= [...this.aliasBook.allMoves()];
  }

  takeNewMoves(): AliasMove[] {
    const moves = this.moveQueue ?? [];
    if (this.moveQueue) this.moveQueue = [];
    return moves;
  }
}
