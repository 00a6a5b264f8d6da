/**
 * `GET /whoami?token=…` (or `Authorization: Bearer …`): the token's workspace, role and
 * name, so the app can check its settings; 401 for a missing or unknown token.
 * Readable cross-origin: it reveals nothing to anyone who does not hold the token.
 */
import type http from 'node:http';
import { requestToken, sendError, sendJson } from '../http-replies';
import type { TokenRegistry } from '../tokens';

const CORS = { 'Access-Control-Allow-Origin': '*', Vary: 'Authorization' };

export function whoamiRoute(tokens: () => TokenRegistry) {
  return (req: http.IncomingMessage, res: http.ServerResponse, url: URL): void => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Allow-Headers': 'Authorization', 'Access-Control-Max-Age': '600' });
      return void res.end();
    }
    const grant = tokens().lookup(requestToken(req, url));
    if (!grant) return sendError(res, 401, 'UNAUTHORIZED', 'missing or unknown token', { ...CORS, 'WWW-Authenticate': 'Bearer' });
    sendJson(res, 200, { workspace: grant.workspace, role: grant.role, name: grant.name }, CORS);
  };
}
