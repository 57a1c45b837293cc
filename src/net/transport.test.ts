import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { DEFAULT_PROBE_OPTIONS } from '../config/schema.js';
import { buildTarget } from '../core/target.js';
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
