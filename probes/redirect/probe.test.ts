import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { CheckResult } from '../../src/core/result.js';
import { createPki, type Pki } from '../tls/test-pki.js';
import { probeOnce } from '../tls/test-support.js';
import { httpsRedirectProbe } from './probe.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let pki: Pki;
let httpsPort = 0;
let httpsRequests: string[] = [];
let httpsHandler: Handler = (_req, res) => res.end('ok');
const open: Server[] = [];

async function listen(server: Server): Promise<number> {
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

before(async () => {
  pki = createPki();
  const https = createHttpsServer({ key: pki.leafKey.privatePem, cert: pki.leaf().pem + pki.intermediate.pem }, (req, res) => {
    httpsRequests.push(req.url ?? '');
    httpsHandler(req, res);
  });
  httpsPort = await listen(https);
});
after(async () => {
  for (const server of open) (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
  await Promise.all(open.map((s) => new Promise((resolve) => s.close(resolve))));
});

const redirect = (res: ServerResponse, status: number, location: string): void => {
  res.writeHead(status, { location }).end();
};

async function probe(httpHandler: Handler, timeoutMs = 3_000): Promise<CheckResult> {
  httpsRequests = [];
  const httpPort = await listen(createHttpServer(httpHandler));
  const results = await probeOnce(httpsRedirectProbe, {
    baseUrl: `https://127.0.0.1:${httpsPort}`,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    caPem: pki.root.pem,
    options: { timeoutMs },
  });
  const [result, ...rest] = [...results.values()];
  assert.ok(result !== undefined && rest.length === 0);
  return result;
}

const https = (path = '/'): string => `https://127.0.0.1:${httpsPort}${path}`;
const NETWORK = { timeout: 10_000 };

describe('http.https_redirect against real servers', () => {
  test('one 301 straight to HTTPS on the same host passes, with the hop in evidence', NETWORK, async () => {
    httpsHandler = (_req, res) => res.end('<html>app</html>');
    const result = await probe((_req, res) => redirect(res, 301, https()));
    assert.equal(result.status, 'pass', result.message);
    assert.deepEqual(result.evidence.hops, [
      { url: result.evidence.entryUrl, status: 301, location: https() },
      { url: https(), status: 200, location: null },
    ]);
  });

  test('plain HTTP serving the page fails with serves_content', NETWORK, async () => {
    const result = await probe((_req, res) => res.end('<html>app over http</html>'));
    assert.equal(result.status, 'fail');
    assert.equal(result.reason, 'serves_content');
    assert.deepEqual(result.evidence.hops, [{ url: result.evidence.entryUrl, status: 200, location: null }]);
  });

  test('HTTP → HTTP → HTTPS warns with not_direct', NETWORK, async () => {
    httpsHandler = (_req, res) => res.end('ok');
    const result = await probe((req, res) =>
      req.url === '/' ? redirect(res, 301, `http://127.0.0.1:${String(req.socket.localPort ?? 0)}/www`) : redirect(res, 301, https()),
    );
    assert.equal(result.status, 'warn', result.message);
    assert.equal(result.reason, 'not_direct');
    assert.equal(result.evidence.redirects, 2);
  });

  test('HTTP → HTTPS → HTTPS warns with multiple_redirects (every hop counts)', NETWORK, async () => {
    httpsHandler = (req, res) => (req.url === '/' ? redirect(res, 302, https('/login')) : res.end('login'));
    const result = await probe((_req, res) => redirect(res, 301, https()));
    assert.equal(result.status, 'warn', result.message);
    assert.equal(result.reason, 'multiple_redirects');
    assert.deepEqual(httpsRequests, ['/', '/login']);
  });

  test('a redirect to HTTPS on another host fails with no_https and is not followed', NETWORK, async () => {
    const result = await probe((_req, res) => redirect(res, 301, 'https://elsewhere.invalid/'));
    assert.equal(result.status, 'fail');
    assert.equal(result.reason, 'no_https');
    assert.match(result.message, /elsewhere\.invalid/);
  });

  test('an HTTP redirect loop fails with no_https', NETWORK, async () => {
    const result = await probe((req, res) => redirect(res, 302, req.url === '/' ? '/a' : '/'));
    assert.equal(result.status, 'fail');
    assert.equal(result.reason, 'no_https');
    assert.match(result.message, /loop/);
  });

  test('endless distinct redirects stop after 5 hops and fail', NETWORK, async () => {
    let n = 0;
    const result = await probe((_req, res) => redirect(res, 302, `/hop${(n += 1)}`));
    assert.equal(result.status, 'fail');
    assert.equal(result.reason, 'no_https');
    assert.equal(n, 5);
  });

  test('an HTTP entry point that never answers is an error with timeout, within the timeout', NETWORK, async () => {
    const started = performance.now();
    const result = await probe(() => undefined, 600);
    assert.equal(result.status, 'error');
    assert.equal(result.reason, 'timeout');
    assert.ok(performance.now() - started < 600 + 2000, 'bounded by its timeout, far under the default 10 s');
  });

  test('garbage instead of HTTP on the entry point is an error with unparseable_response', NETWORK, async () => {
    const garbage = createNetServer((socket) => {
      socket.on('error', () => undefined);
      socket.end('\x16\x03\x01 definitely not HTTP\r\n\r\n');
    });
    const port = await listen(garbage);
    const results = await probeOnce(httpsRedirectProbe, { baseUrl: https(), httpUrl: `http://127.0.0.1:${port}`, caPem: pki.root.pem });
    const result = results.get('http.https_redirect');
    assert.equal(result?.status, 'error', result?.message);
    assert.equal(result.reason, 'unparseable_response');
  });
});
