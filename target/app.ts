/**
 * One HTTPS (or plain-HTTP-served) request, start to end: security headers, the injected latency, stalls
 * and errors, then the route (admin, health, API, static asset, page), and errors mapped to JSON or the
 * error page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, parseCookies, sleep } from './http.js';
import { handleAdmin, type FaultSwitch } from './routes/admin.js';
import { handleApi } from './routes/api.js';
import { handleCheckout } from './routes/checkout.js';
import { handleHealth } from './routes/health.js';
import { handlePage, sendErrorPage } from './routes/pages.js';
import { createRequestMetrics } from './request-metrics.js';
import { jsonReply } from './routes/reply.js';
import { serveAsset } from './routes/static.js';
import { setSecurityHeaders } from './security-headers.js';
import type { TargetState } from './state.js';
import { VendorError } from './vendor-client.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse, secure: boolean) => Promise<void>;

export function createApp(state: TargetState, setFaults: FaultSwitch): RequestHandler {
  const requestMetrics = createRequestMetrics();
  let apiRequests = 0;
  return async (req, res, secure) => {
    const url = new URL(req.url ?? '/', state.baseUrl);
    setSecurityHeaders(res, state.faults, secure, state.httpUrl);
    if (url.pathname.startsWith('/__admin')) return handleAdmin(state, setFaults, req, res, url);
    if (url.pathname === '/metrics' && req.method === 'GET') return requestMetrics.serve(res);
    requestMetrics.track(req, res);
    state.requestCount++;
    state.appRequestCount++;
    const f = state.faults;
    const isApi = url.pathname.startsWith('/api');
    if (isApi) apiRequests += 1;
    let delay = f.latencyMs + (f.latencyJitterMs > 0 ? Math.random() * f.latencyJitterMs : 0);
    if (f.stallEvery > 0 && state.appRequestCount % f.stallEvery === 0) delay += f.stallMs;
    if (url.pathname === '/health') delay += f.healthDelayMs;
    if (delay > 0) await sleep(delay);
    if (f.errorRate > 0 && Math.random() < f.errorRate) {
      return isApi ? jsonReply(state, res)(500, { error: 'Internal server error' }) : sendErrorPage(state, res, 500);
    }
    if (f.api_errors && isApi && apiRequests % 3 === 0) return jsonReply(state, res)(500, { error: 'Internal server error' });
    const cookies = parseCookies(req.headers.cookie);
    try {
      if (url.pathname === '/health') return handleHealth(state, res, f);
      if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return await handleApi(state, req, res, url, cookies);
      if (await handleCheckout(state, req, res, url, cookies)) return;
      if ((req.method === 'GET' || req.method === 'HEAD') && serveAsset(state, req, res, url.pathname)) return;
      return handlePage(state, req, res, url, cookies);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const { status, message } = answerFor(err);
      if (!(err instanceof HttpError)) state.log(`internal error on ${req.method} ${url.pathname}: ${(err as Error).stack ?? String(err)}`);
      if (isApi) return jsonReply(state, res)(status, { error: message });
      return sendErrorPage(state, res, status);
    }
  };
}

/** An error's answer: its own status for HttpError, 502 when a vendor failed us, else a 500 that says nothing. */
function answerFor(err: unknown): { status: number; message: string } {
  if (err instanceof HttpError) return { status: err.status, message: err.message };
  if (err instanceof VendorError)
    return { status: 502, message: `${err.vendor === 'plaid' ? 'Plaid' : 'Stripe'} is not available (${err.status || 'unreachable'})` };
  return { status: 500, message: 'Internal server error' };
}
