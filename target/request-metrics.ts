/**
 * The reference target's own request metrics, as a service instrumented with OpenTelemetry's HTTP
 * semantic conventions exports them to Prometheus: `http_server_request_duration_seconds`
 * (histogram) by method and status code, on its own prom-client registry, served at /metrics.
 * vor-watch's real-traffic signals (`--prometheus`) read exactly this metric by default.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Histogram, Registry } from 'prom-client';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface RequestMetrics {
  /** Starts timing a request; it is counted when its response has been sent. */
  track(req: IncomingMessage, res: ServerResponse): void;
  serve(res: ServerResponse): Promise<void>;
}

export function createRequestMetrics(): RequestMetrics {
  const registry = new Registry();
  const duration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests (OpenTelemetry http.server.request.duration).',
    labelNames: ['http_request_method', 'http_response_status_code'] as const,
    // 3 s is vor-watch's slow-response threshold, so it is a bucket edge.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
    registers: [registry],
  });
  return {
    track(req, res) {
      const started = performance.now();
      res.once('finish', () => {
        const method = METHODS.has(req.method ?? '') ? (req.method as string) : '_OTHER';
        duration.observe(
          { http_request_method: method, http_response_status_code: String(res.statusCode) },
          (performance.now() - started) / 1000,
        );
      });
    },
    async serve(res) {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body);
    },
  };
}
