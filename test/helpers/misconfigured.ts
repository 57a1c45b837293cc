/**
 * Misconfigured sites on loopback: every path answered the same way, over HTTPS (trusted through the
 * local CA's file) and over plain HTTP. Probes pointed at them must not find what is not there.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { loadLocalCa } from '../../target/ca.js';

export type Misconfiguration = 'catch_all' | 'not_found' | 'rate_limited';

/** The landing page a catch-all host serves for every path: its script and stylesheet are missing, so they get this page too. */
export const CATCH_ALL_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Welcome</title>
<link rel="stylesheet" href="/assets/site.5c1d2e3f.css">
<script src="/assets/app.3f9a1c2b.js" defer></script></head>
<body><main><h1>Welcome</h1><p>${'Plan, save and grow. '.repeat(40)}</p></main></body>
</html>
`;

const NOT_FOUND_HTML = '<!doctype html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n';

const ANSWERS: Readonly<Record<Misconfiguration, SiteAnswer>> = {
  catch_all: { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: CATCH_ALL_HTML },
  not_found: { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: NOT_FOUND_HTML },
  rate_limited: {
    status: 429,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '3600' },
    body: 'Too Many Requests\n',
  },
};

export interface LoopbackSite {
  /** https://127.0.0.1:PORT */
  readonly baseUrl: string;
  /** http://127.0.0.1:PORT (a second port, answering the same way) */
  readonly httpUrl: string;
  /** The local CA certificate to trust (--ca). */
  readonly caFile: string;
  /** Requests seen on both ports. */
  requests(): number;
  close(): Promise<void>;
}

export interface SiteAnswer {
  readonly status: number;
  readonly headers: http.OutgoingHttpHeaders;
  readonly body: string;
}

/** A site on loopback, HTTPS (local CA) and plain HTTP, answering each request from `answer(path, method)`. */
export async function startLoopbackSite(answer: (path: string, method: string) => SiteAnswer): Promise<LoopbackSite> {
  const ca = loadLocalCa();
  const certificate = ca.issue({ hosts: ['127.0.0.1', 'localhost'] });
  let count = 0;
  const listener: http.RequestListener = (req, res) => {
    count += 1;
    const method = req.method ?? 'GET';
    const { status, headers, body } = answer(new URL(req.url ?? '/', 'http://site').pathname, method);
    req.resume();
    res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
    res.end(method === 'HEAD' ? undefined : body);
  };
  const secure = https.createServer({ key: certificate.keyPem, cert: certificate.chainPem }, listener);
  const plain = http.createServer(listener);
  const listen = (server: http.Server): Promise<number> =>
    new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  const [securePort, plainPort] = await Promise.all([listen(secure), listen(plain)]);
  const close = (server: http.Server): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    baseUrl: `https://127.0.0.1:${securePort}`,
    httpUrl: `http://127.0.0.1:${plainPort}`,
    caFile: ca.caFile,
    requests: () => count,
    close: async () => {
      await Promise.all([close(secure), close(plain)]);
    },
  };
}

export interface MisconfiguredSite extends LoopbackSite {
  readonly kind: Misconfiguration;
}

/** Every path, every method answered the same way: the landing page, a 404 page, or a 429. */
export async function startMisconfiguredSite(kind: Misconfiguration): Promise<MisconfiguredSite> {
  return { kind, ...(await startLoopbackSite(() => ANSWERS[kind])) };
}
