import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getEventListeners } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { DEFAULT_PROBE_OPTIONS } from '../config/schema.js';
import type { RequestSample } from '../core/probe.js';
import { buildTarget } from '../core/target.js';
import { httpRequest, mayFollow, USER_AGENT, type HttpContext } from './http.js';
import { createHttpTransport } from './transport.js';

let server: Server;
const transport = createHttpTransport();
let base: string;
const seen: { url: string; headers: IncomingMessage['headers'] }[] = [];

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/hello': (_req, res) => {
    res.setHeader('set-cookie', ['a=1; Secure', 'b=2; HttpOnly']);
    res.setHeader('x-multi', ['one', 'two']);
    res.end('hello');
  },
  '/hop1': (_req, res) => res.writeHead(302, { location: '/hop2' }).end(),
  '/hop2': (_req, res) => res.writeHead(301, { location: `${base}/hello` }).end(),
  '/loop': (_req, res) => res.writeHead(302, { location: '/loop' }).end(),
  '/elsewhere': (_req, res) => res.writeHead(302, { location: 'https://other.invalid/steal' }).end(),
  '/big': (_req, res) => res.end('x'.repeat(200_000)),
  '/boom': (_req, res) => res.writeHead(503).end('down'),
  '/silent': () => undefined,
  '/odd-names': (_req, res) => {
    res.setHeader('constructor', 'x');
    res.setHeader('toString', 'y');
    res.end();
  },
  '/stall-body': (_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('part');
  },
};

before(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    (routes[req.url ?? ''] ?? ((_q, r) => r.writeHead(404).end()))(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  transport.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function context(samples: RequestSample[] = [], signal: AbortSignal = AbortSignal.timeout(5_000)): HttpContext {
  return {
    target: buildTarget({ baseUrl: 'https://127.0.0.1:1', publicApiPaths: [], routes: [] }),
    options: { ...DEFAULT_PROBE_OPTIONS, timeoutMs: 2_000, maxBodyBytes: 100_000 },
    signal,
    recordRequest: (s) => samples.push(s),
    transport,
  };
}

test('a request carries the vor-watch User-Agent, and the snapshot keeps every Set-Cookie apart', { timeout: 5_000 }, async () => {
  const snapshot = await httpRequest(context(), `${base}/hello`, { check: 'headers.hsts' });
  assert.match(USER_AGENT, /^vor-watch\/\d/);
  assert.equal(seen.at(-1)?.headers['user-agent'], USER_AGENT);
  assert.equal(snapshot.status, 200);
  assert.equal(snapshot.body, 'hello');
  assert.deepEqual(snapshot.setCookies, ['a=1; Secure', 'b=2; HttpOnly']);
  assert.equal(snapshot.headers['x-multi'], 'one, two');
});

test('same-host redirects are followed and recorded, hop by hop', { timeout: 5_000 }, async () => {
  const snapshot = await httpRequest(context(), `${base}/hop1`, { check: 'headers.hsts' });
  assert.equal(snapshot.finalUrl, `${base}/hello`);
  assert.deepEqual(
    snapshot.redirects.map((r) => [r.status, new URL(r.location).pathname]),
    [
      [302, '/hop2'],
      [301, '/hello'],
    ],
  );
});

test('a redirect to another origin is never followed: an error by default, the redirect itself with stop', { timeout: 5_000 }, async () => {
  const headers = { cookie: 'vor_session=secret' };
  await assert.rejects(httpRequest(context(), `${base}/elsewhere`, { check: 'headers.hsts', headers }), {
    reason: 'cross_origin_redirect',
    message: /another origin, https:\/\/other\.invalid/,
  });
  const snapshot = await httpRequest(context(), `${base}/elsewhere`, { check: 'headers.hsts', headers, onCrossOriginRedirect: 'stop' });
  assert.equal(snapshot.status, 302);
  assert.equal(snapshot.finalUrl, `${base}/elsewhere`);
});

test('only the same scheme, host and port count as the same origin', () => {
  assert.equal(mayFollow(new URL('https://a.test/x'), new URL('https://a.test:443/y')), true);
  assert.equal(mayFollow(new URL('https://a.test/'), new URL('http://a.test/')), false);
  assert.equal(mayFollow(new URL('http://a.test/'), new URL('https://a.test/')), false);
  assert.equal(mayFollow(new URL('https://a.test/'), new URL('https://a.test:8443/')), false);
  assert.equal(mayFollow(new URL('https://a.test/'), new URL('https://b.a.test/')), false);
});

test('a redirect loop fails with too_many_redirects after 5 hops', { timeout: 5_000 }, async () => {
  const before = seen.length;
  await assert.rejects(httpRequest(context(), `${base}/loop`, { check: 'headers.hsts' }), { reason: 'too_many_redirects' });
  assert.equal(seen.length - before, 6);
});

test('a body over the limit fails with response_too_large, or is truncated when asked', { timeout: 5_000 }, async () => {
  await assert.rejects(httpRequest(context(), `${base}/big`, { check: 'headers.hsts' }), { reason: 'response_too_large' });
  const truncated = await httpRequest(context(), `${base}/big`, { check: 'headers.hsts', maxBodyBytes: 1000, onOversize: 'truncate' });
  assert.equal(truncated.truncated, true);
  assert.equal(truncated.body.length, 1000);
});

test('every exchange is recorded for the metrics, a 5xx as a failure', { timeout: 5_000 }, async () => {
  const samples: RequestSample[] = [];
  await httpRequest(context(samples), `${base}/boom`, { check: 'health.endpoint' });
  await httpRequest(context(samples), `${base}/hello`, { check: 'health.endpoint' });
  assert.deepEqual(
    samples.map((s) => [s.check, s.outcome]),
    [
      ['health.endpoint', 'failure'],
      ['health.endpoint', 'success'],
    ],
  );
});

test('a silent server, or one that stalls mid-body, fails with a TimeoutError at the per-request bound', { timeout: 5_000 }, async () => {
  for (const path of ['/silent', '/stall-body']) {
    const started = performance.now();
    await assert.rejects(httpRequest(context(), `${base}${path}`, { check: 'health.endpoint', timeoutMs: 300 }), { name: 'TimeoutError' });
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 280 && elapsed < 1_500, `${path}: gave up after ${elapsed.toFixed(0)} ms`);
  }
});

test("the probe's own signal aborts a request in flight with the probe's reason, and one already aborted never connects", async () => {
  const controller = new AbortController();
  const pending = httpRequest(context([], controller.signal), `${base}/silent`, { check: 'health.endpoint' });
  setTimeout(() => controller.abort(new DOMException('probe deadline', 'TimeoutError')), 100);
  await assert.rejects(pending, { name: 'TimeoutError', message: 'probe deadline' });

  const before = seen.length;
  await assert.rejects(httpRequest(context([], AbortSignal.abort(new Error('cancelled'))), `${base}/hello`, { check: 'health.endpoint' }), {
    message: 'cancelled',
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(seen.length, before, 'no request reached the server');
});

test('header names that are Object.prototype properties keep their own values', { timeout: 5_000 }, async () => {
  const snapshot = await httpRequest(context(), `${base}/odd-names`, { check: 'headers.hsts' });
  assert.equal(snapshot.headers.constructor, 'x');
  assert.equal(snapshot.headers.tostring, 'y');
});

test('requests on a long-lived probe signal leave no abort listener behind', { timeout: 5_000 }, async () => {
  const signal = new AbortController().signal;
  for (let i = 0; i < 3; i += 1) await httpRequest(context([], signal), `${base}/hello`, { check: 'headers.hsts' });
  await assert.rejects(httpRequest(context([], signal), `${base}/silent`, { check: 'headers.hsts', timeoutMs: 100 }));
  assert.equal(getEventListeners(signal, 'abort').length, 0);
});
