import { compareStamped, stampId } from './hlc';
import { aliasKey } from './names';
import type { AliasMove } from './schema';

export type MoveStatus = 'current' | 'superseded' | 'overridden' | 'rejected';

export interface AliasHistoryEntry {
  id: string;
  move: AliasMove;
  /**
   * current: the move in effect. superseded: replaced by a later move whose author
   * had seen it. overridden: lost to a concurrent move (`overriddenBy`), the case the
   * UI must explain. rejected: the sequencer refused its timestamp (clock too far ahead).
   */
  status: MoveStatus;
  overriddenBy?: AliasMove;
}

/**
 * The alias move logs of one document, grouped by scope (artifact or registered
 * model) and alias (case-insensitively). The current target of an alias is its move
 * with the greatest (hlc, clientId) that the sequencer has not rejected.
 */
export class AliasBook {
  private readonly moves = new Map<string, Map<string, AliasMove[]>>();
  private readonly winners = new Map<string, Map<string, AliasMove>>();
  private readonly rejected = new Set<string>();
  private readonly byId = new Map<string, AliasMove>();

  /** Returns the scope the move belongs to. */
  add(move: AliasMove): string {
    const id = stampId(move);
    if (this.byId.has(id)) return move.scope;
    this.byId.set(id, move);
    const key = aliasKey(move.alias);
    const scope = getOrCreate(this.moves, move.scope, () => new Map<string, AliasMove[]>());
    getOrCreate(scope, key, () => []).push(move);
    if (!this.rejected.has(id)) {
      const winners = getOrCreate(this.winners, move.scope, () => new Map<string, AliasMove>());
      const current = winners.get(key);
      if (!current || compareStamped(move, current) > 0) winners.set(key, move);
    }
    return move.scope;
  }

  /** Marks a move as refused by the sequencer. Returns its scope when the move is known. */
  reject(id: string): string | undefined {
    if (this.rejected.has(id)) return undefined;
    this.rejected.add(id);
    const move = this.byId.get(id);
    if (!move) return undefined;
    const key = aliasKey(move.alias);
    const winners = this.winners.get(move.scope);
    if (winners?.get(key) === move) {
      const next = this.moves.get(move.scope)?.get(key)?.reduce<AliasMove | undefined>(
        (best, m) => (this.rejected.has(stampId(m)) || (best && compareStamped(best, m) >= 0) ? best : m),
        undefined,
      );
      if (next) winners.set(key, next);
      else winners.delete(key);
    }
    return move.scope;
  }

  isRejected(id: string): boolean {
    return this.rejected.has(id);
  }

  /** The move in effect for one alias (its target may be null: the alias was removed). */
  winner(scope: string, alias: string): AliasMove | undefined {
    return this.winners.get(scope)?.get(aliasKey(alias));
  }

  /** Every alias of a scope whose move in effect points somewhere. */
  *current(scope: string): Iterable<AliasMove> {
    for (const move of this.winners.get(scope)?.values() ?? []) if (move.target !== null) yield move;
  }

  /** Every move ever made in the document, for the sequencer's clock check. */
  allMoves(): Iterable<AliasMove> {
    return this.byId.values();
  }

  scopes(): Iterable<string> {
    return this.moves.keys();
  }

  history(scope: string, alias?: string): AliasHistoryEntry[] {
    const byKey = this.moves.get(scope);
    if (!byKey) return [];
    const keys = alias === undefined ? [...byKey.keys()] : [aliasKey(alias)];
    const out: AliasHistoryEntry[] = [];
    for (const key of keys) out.push(...this.historyOf(scope, key, byKey.get(key) ?? []));
    return out.sort((a, b) => compareStamped(a.move, b.move));
  }

  private historyOf(scope: string, key: string, moves: AliasMove[]): AliasHistoryEntry[] {
    const winner = this.winners.get(scope)?.get(key);
    // The causal chain: the move in effect, the move its author had seen, and so on.
    const chain: AliasMove[] = [];
    const inChain = new Set<string>();
    for (let m = winner; m && !inChain.has(stampId(m)); m = m.seen ? this.byId.get(m.seen) : undefined) {
      chain.push(m);
      inChain.add(stampId(m));
    }
    chain.sort(compareStamped);
    return moves.map((move) => {
      const id = stampId(move);
      if (this.rejected.has(id)) return { id, move, status: 'rejected' as const };
      if (move === winner) return { id, move, status: 'current' as const };
      if (inChain.has(id)) return { id, move, status: 'superseded' as const };
      const overriddenBy = chain.find((c) => compareStamped(c, move) > 0) ?? winner;
      return { id, move, status: 'overridden' as const, ...(overriddenBy ? { overriddenBy } : {}) };
    });
  }
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}
