/** `GET /metrics`: Prometheus text exposition format. Counts only: no room or user names. */
import type http from 'node:http';
import type { SyncMetrics } from '../metrics';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function metricsRoute(metrics: SyncMetrics) {
  return (_req: http.IncomingMessage, res: http.ServerResponse): void => {
    const text = metrics.render();
    res.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
    res.end(text);
  };
}
