/**
 * WebSocket close codes the server uses. The stock y-websocket client reconnects after
 * any code except 4400–4499, which it treats as final (the HTTP 4xx convention).
 */
export const CloseCode = {
  /** The server is shutting down; clients reconnect later. */
  GOING_AWAY: 1001,
  /** A text frame: the protocol is binary. */
  UNSUPPORTED_DATA: 1003,
  /** A message that does not decode: malformed, truncated, unknown type, trailing bytes. */
  INVALID_PAYLOAD: 1007,
  /** A message over the size limit (sent by `ws` itself). */
  MESSAGE_TOO_BIG: 1009,
  /** The server failed to store an update; the client reconnects and resends it. */
  INTERNAL_ERROR: 1011,
  /** Tokens were reloaded and this token's role changed: reconnect to get the new one. */
  SERVICE_RESTART: 1012,
  /** Over the rate limit or too slow to read what it is sent; the client backs off and resyncs. */
  TRY_AGAIN_LATER: 1013,
  /** Tokens were reloaded and this token no longer exists (final). */
  TOKEN_REVOKED: 4401,
  /** Tokens were reloaded and this token is now for another workspace (final). */
  TOKEN_FORBIDDEN: 4403,
} as const;
