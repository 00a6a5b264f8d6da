/**
 * Caps on open connections per token and per remote address. A y-websocket
 * connection serves one room, so these also cap the rooms one client can hold open.
 */
export type CapRefusal = 'token' | 'address';

export class ConnectionCaps {
  private readonly byToken = new Map<string, number>();
  private readonly byAddress = new Map<string, number>();

  constructor(private readonly limits: { maxConnectionsPerToken: number; maxConnectionsPerAddress: number }) {}

  /** A release function (idempotent) when under both caps, otherwise which cap refused. */
  acquire(tokenId: string, address: string): (() => void) | CapRefusal {
    if ((this.byToken.get(tokenId) ?? 0) >= this.limits.maxConnectionsPerToken) return 'token';
    if ((this.byAddress.get(address) ?? 0) >= this.limits.maxConnectionsPerAddress) return 'address';
    bump(this.byToken, tokenId, 1);
    bump(this.byAddress, address, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      bump(this.byToken, tokenId, -1);
      bump(this.byAddress, address, -1);
    };
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}
