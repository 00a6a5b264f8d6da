/**
 * How many of this replica's operations the server has not confirmed: the sum, over
 * every client, of how far our state vector is ahead of the server's. The server
 * confirms by sending its state vector (a sync step 1) when a client connects and
 * after it has durably stored an update from that client.
 */
export function pendingOperations(local: Map<number, number>, server: Map<number, number> | undefined): number {
  let pending = 0;
  for (const [client, clock] of local) pending += Math.max(0, clock - (server?.get(client) ?? 0));
  return pending;
}
