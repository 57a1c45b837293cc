import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeExposition } from './exposition.js';
import type { Monitor } from './monitor.js';

export interface MetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

/** What the server reads; a view so the server can start (and know its URL) before the monitor. */
export type MonitorView = Pick<Monitor, 'metrics' | 'isLive' | 'triggers'> & Partial<Pick<Monitor, 'stats'>>;

/** Serves /metrics (Prometheus exposition of the monitor's own registry) and /healthz. */
export async function serveMonitor(monitor: MonitorView, host: string, port: number): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      void writeExposition(monitor.metrics.registry, res);
      return;
    }
    if (path === '/healthz') {
      const live = monitor.isLive();
      const triggers = Object.fromEntries(
        [...monitor.triggers()].map(([target, statuses]) => [target, Object.fromEntries(statuses.map((s) => [s.id, s.state]))]),
      );
      // Cycle counters live here, not in /metrics, whose metric names are fixed by the contract.
      const jobs = Object.fromEntries(
        [...(monitor.stats?.() ?? new Map())].map(([key, s]) => [
          key,
          { runs: s.runs, overruns: s.overruns, crashes: s.crashes, running: s.running },
        ]),
      );
      res
        .writeHead(live ? 200 : 503, { 'content-type': 'application/json' })
        .end(`${JSON.stringify({ status: live ? 'ok' : 'stalled', triggers, jobs })}\n`);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found; try /metrics or /healthz\n');
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Parses --listen HOST:PORT ("127.0.0.1:9464", "[::1]:9464", ":9464"). */
export function parseListen(value: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value.trim());
  if (match === null) return undefined;
  const port = Number(match[3]);
  if (port > 65_535) return undefined;
  return { host: match[1] ?? (match[2] === '' || match[2] === undefined ? '127.0.0.1' : match[2]), port };
}
