import assert from 'node:assert/strict';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createServer } from 'node:tls';
import { createPki, type Pki } from '../../probes/tls/test-pki.js';
import { attemptHandshake, parsePemBundle, tlsEndpointOf, tlsHandshake, trustAnchors } from './tls.js';

let pki: Pki;
const servers: Server[] = [];
const sockets = new Set<Socket>();

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

before(() => {
  pki = createPki();
});
after(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const NETWORK = { timeout: 10_000 };

describe('tlsHandshake', () => {
  test('returns the served chain leaf first, the protocol and the cipher, without trusting anything', NETWORK, async () => {
    const server = createServer({ key: pki.leafKey.privatePem, cert: pki.leaf().pem + pki.intermediate.pem }, (s) => s.end());
    const port = await listen(server);
    const facts = await tlsHandshake({ host: '127.0.0.1', port }, { signal: AbortSignal.timeout(3_000) });
    assert.deepEqual(
      facts.chain.map((c) => c.subject.split('\n')[0]),
      ['CN=localhost', 'CN=vor-watch Test Intermediate'],
    );
    assert.equal(facts.protocol, 'TLSv1.3');
    assert.match(facts.cipher.name, /^TLS_/);
  });

  test('rejects with the signal reason when the server never answers', NETWORK, async () => {
    const port = await listen(createNetServer());
    const started = performance.now();
    await assert.rejects(tlsHandshake({ host: '127.0.0.1', port }, { signal: AbortSignal.timeout(300) }), { name: 'TimeoutError' });
    assert.ok(performance.now() - started < 300 + 2000);
  });
});

describe('attemptHandshake', () => {
  test('a protocol the server refuses is an answer, not an error', NETWORK, async () => {
    const server = createServer({ key: pki.leafKey.privatePem, cert: pki.leaf().pem }, (s) => s.end());
    const port = await listen(server);
    const attempt = await attemptHandshake(
      { host: '127.0.0.1', port },
      { signal: AbortSignal.timeout(3_000), minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' },
      2_000,
    );
    assert.equal(attempt.accepted, false);
  });

  test('silence past the patience is a refusal; the caller signal firing is an error', NETWORK, async () => {
    const port = await listen(createNetServer());
    const silent = await attemptHandshake({ host: '127.0.0.1', port }, { signal: AbortSignal.timeout(3_000) }, 200);
    assert.deepEqual(silent, { accepted: false, detail: 'no answer within 200 ms' });
    await assert.rejects(attemptHandshake({ host: '127.0.0.1', port }, { signal: AbortSignal.timeout(200) }, 3_000), {
      name: 'TimeoutError',
    });
  });

  test('a refused connection is an error (nothing was learnt about the server)', NETWORK, async () => {
    const port = await listen(createNetServer());
    await new Promise((resolve) => servers.pop()?.close(resolve));
    await assert.rejects(attemptHandshake({ host: '127.0.0.1', port }, { signal: AbortSignal.timeout(2_000) }, 1_000), {
      code: 'ECONNREFUSED',
    });
  });
});

describe('endpoints and anchors', () => {
  test('IP literals get no SNI; names do; the default port is 443', () => {
    assert.deepEqual(tlsEndpointOf({ baseUrl: 'https://127.0.0.1:8443', host: '127.0.0.1' }), { host: '127.0.0.1', port: 8443 });
    assert.deepEqual(tlsEndpointOf({ baseUrl: 'https://app.example.com', host: 'app.example.com' }), {
      host: 'app.example.com',
      port: 443,
      servername: 'app.example.com',
    });
  });

  test('a CA bundle with several certificates adds each one ahead of the system roots', () => {
    const bundle = `${pki.root.pem}\n${pki.intermediate.pem}`;
    assert.equal(parsePemBundle(bundle).length, 2);
    const anchors = trustAnchors(bundle);
    assert.equal(anchors[0]?.subject.split('\n')[0], 'CN=vor-watch Test Root');
    assert.ok(anchors.length > 2, 'system roots are kept');
  });
});
