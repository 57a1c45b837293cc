import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { after, before, test } from 'node:test';
import { DEFAULT_PROBE_OPTIONS } from '../config/schema.js';
import { buildTarget } from '../core/target.js';
import { createPki } from '../../probes/tls/test-pki.js';
import { httpRequest, type HttpContext } from './http.js';
import { createHttpTransport, type HttpTransport } from './transport.js';

let server: Server;
let url: string;
let connections = 0;

before(async () => {
  server = createServer((_req, res) => res.end('ok'));
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const contextOf = (transport: HttpTransport): HttpContext => ({
  target: buildTarget({ baseUrl: 'https://127.0.0.1:1', publicApiPaths: [], routes: [] }),
  options: { ...DEFAULT_PROBE_OPTIONS, timeoutMs: 2_000 },
  signal: AbortSignal.timeout(5_000),
  recordRequest: () => undefined,
  transport,
});

test('requests through one transport reuse its connection; after close() the next request connects anew', { timeout: 5_000 }, async () => {
  const transport = createHttpTransport();
  const before = connections;
  await httpRequest(contextOf(transport), url, { check: 'health.endpoint' });
  await httpRequest(contextOf(transport), url, { check: 'health.endpoint' });
  assert.equal(connections - before, 1, 'the second request reused the kept-alive connection');
  transport.close();
  await httpRequest(contextOf(transport), url, { check: 'health.endpoint' });
  assert.equal(connections - before, 2, 'closing dropped the connection');
  transport.close();
});

test('two transports share no connection, and closing one leaves the other usable', { timeout: 5_000 }, async () => {
  const first = createHttpTransport();
  const second = createHttpTransport();
  const before = connections;
  await httpRequest(contextOf(first), url, { check: 'health.endpoint' });
  await httpRequest(contextOf(second), url, { check: 'health.endpoint' });
  assert.equal(connections - before, 2);
  first.close();
  assert.equal((await httpRequest(contextOf(second), url, { check: 'health.endpoint' })).status, 200);
  assert.equal(connections - before, 2, 'the second transport kept its connection');
  second.close();
});

test(
  'an HTTPS connection checks the host name as node does, and the served chain stays readable afterwards',
  { timeout: 20_000 },
  async () => {
    const pki = createPki();
    const serve = async (altNames: string[]): Promise<{ server: HttpsServer; url: string }> => {
      const cert = pki.leaf({ altNames }).pem + pki.intermediate.pem;
      const server = createHttpsServer({ key: pki.leafKey.privatePem, cert }, (_req, res) => res.end('ok'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/` };
    };
    const transport = createHttpTransport();
    const ctx = { ...contextOf(transport), target: { ...contextOf(transport).target, caPem: pki.root.pem } };
    const good = await serve(['127.0.0.1']);
    const wrong = await serve(['other.example']);
    try {
      for (const freshConnection of [false, true]) {
        const ok = await httpRequest(ctx, good.url, { check: 'health.endpoint', freshConnection });
        assert.equal(ok.status, 200);
        await assert.rejects(httpRequest(ctx, wrong.url, { check: 'health.endpoint', freshConnection }), (error: NodeJS.ErrnoException) => {
          assert.equal(error.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
          assert.match(error.message, /IP: 127\.0\.0\.1 is not in the cert's list/);
          return true;
        });
      }
      // Whoever reads the certificate after the handshake still gets the whole served chain.
      const socket = await new Promise<TLSSocket>((resolve, reject) => {
        const agent = transport.agentsFor(pki.root.pem).freshHttps;
        const req = httpsRequest(good.url, { agent }, (res) => {
          res.resume();
          resolve(res.socket as TLSSocket);
        });
        req.on('error', reject);
        req.end();
      });
      const leaf = socket.getPeerCertificate(true);
      assert.equal(leaf.subject.CN, 'localhost');
      assert.equal(leaf.issuerCertificate?.subject.CN, pki.intermediate.subject[0]?.value);
    } finally {
      transport.close();
      for (const { server } of [good, wrong]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    }
  },
);
