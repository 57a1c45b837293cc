import assert from 'node:assert/strict';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createServer, type TlsOptions } from 'node:tls';
import type { CheckId } from '../../src/core/catalogue.js';
import type { CheckResult } from '../../src/core/result.js';
import { tlsProbe } from './probe.js';
import { probeOnce } from './test-support.js';
import { createPki, issue, rsaKey, type Issued, type Pki } from './test-pki.js';

let pki: Pki;
const open: NetServer[] = [];

before(() => {
  pki = createPki();
});
after(async () => {
  await Promise.all(open.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(server: NetServer): Promise<number> {
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

/** Node's default list still includes RSA key exchange (via HIGH); a hardened server narrows it. */
const FORWARD_SECRET_CIPHERS =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305';

/** A bare TLS server: hardened defaults unless the case overrides them. */
async function tlsServer(leaf: Issued, chain: readonly Issued[], extra: TlsOptions = {}): Promise<number> {
  const options: TlsOptions = {
    key: leaf.key.privatePem,
    cert: [leaf.pem, ...chain.map((c) => c.pem)].join(''),
    ciphers: FORWARD_SECRET_CIPHERS,
    ...extra,
  };
  const server = createServer(options, (socket) => {
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
  });
  server.on('tlsClientError', () => undefined);
  return listen(server);
}

const probe = (port: number, { ca = true, timeoutMs = 3_000 } = {}): Promise<Map<CheckId, CheckResult>> =>
  probeOnce(tlsProbe, { baseUrl: `https://127.0.0.1:${port}`, ...(ca ? { caPem: pki.root.pem } : {}), options: { timeoutMs } });

function expect(results: Map<CheckId, CheckResult>, id: CheckId, status: string, reason?: string): CheckResult {
  const result = results.get(id);
  assert.ok(result, `no result for ${id}`);
  assert.equal(result.status, status, `${id}: ${result.message}`);
  if (reason !== undefined) assert.equal(result.reason, reason, `${id}: ${result.message}`);
  return result;
}

const NETWORK = { timeout: 15_000 };

describe('tls probe against real TLS servers', () => {
  test('a clean server passes every check, with the path and dates in evidence', NETWORK, async () => {
    const port = await tlsServer(pki.leaf(), [pki.intermediate]);
    const results = await probe(port);
    for (const id of tlsProbe.checks) expect(results, id, 'pass');
    const validity = expect(results, 'tls.certificate.validity', 'pass');
    assert.equal(validity.evidence.pathVerified, true);
    assert.equal((validity.evidence.path as unknown[]).length, 3);
    assert.ok(Number(validity.evidence.daysLeft) > 300);
    const protocols = expect(results, 'tls.protocols', 'pass');
    assert.deepEqual(protocols.evidence.accepted, ['TLSv1.2', 'TLSv1.3']);
  });

  test('tls.certificate.validity: an expired leaf fails with expired', NETWORK, async () => {
    const port = await tlsServer(pki.leaf({ notBeforeDays: -100, notAfterDays: -1 }), [pki.intermediate]);
    const results = await probe(port);
    expect(results, 'tls.certificate.validity', 'fail', 'expired');
    expect(results, 'tls.certificate.trust', 'pass'); // dates are not trust's business
  });

  test('tls.certificate.validity: 5 days left fails, 15 days left warns', NETWORK, async () => {
    const five = await probe(await tlsServer(pki.leaf({ notAfterDays: 5 }), [pki.intermediate]));
    expect(five, 'tls.certificate.validity', 'fail', 'expires_soon');
    const fifteen = await probe(await tlsServer(pki.leaf({ notAfterDays: 15 }), [pki.intermediate]));
    const warned = expect(fifteen, 'tls.certificate.validity', 'warn', 'expires_soon');
    assert.ok(Number(warned.evidence.daysLeft) > 14 && Number(warned.evidence.daysLeft) < 15.1);
  });

  test('tls.certificate.validity: a not-yet-valid leaf fails with not_yet_valid', NETWORK, async () => {
    const results = await probe(await tlsServer(pki.leaf({ notBeforeDays: 2, notAfterDays: 90 }), [pki.intermediate]));
    expect(results, 'tls.certificate.validity', 'fail', 'not_yet_valid');
  });

  test('tls.certificate.validity: an intermediate expiring before the leaf is what counts', NETWORK, async () => {
    const shortIntermediate = issue({
      commonName: 'Short Intermediate',
      key: pki.intermediateKey,
      issuer: pki.root,
      ca: true,
      notAfterDays: 3,
    });
    const leaf = pki.leaf({ issuer: shortIntermediate, notAfterDays: 300 });
    const results = await probe(await tlsServer(leaf, [shortIntermediate]));
    const validity = expect(results, 'tls.certificate.validity', 'fail', 'expires_soon');
    assert.match(String(validity.evidence.expiringSubject), /Short Intermediate/);
  });

  test(
    'tls.certificate.validity: an expired cross-signed root that is not on the verified path gives no false alarm',
    NETWORK,
    async () => {
      // Like Let's Encrypt's ISRG Root X1 cross-signed by the expired DST Root CA X3: the served
      // cross-sign carries the trusted root's name and key, but the path ends at the self-signed root.
      const oldRoot = issue({ commonName: 'Old Root', key: rsaKey(), ca: true, notBeforeDays: -4000, notAfterDays: -30 });
      const crossSigned = issue({
        commonName: 'vor-watch Test Root',
        key: pki.rootKey,
        issuer: oldRoot,
        ca: true,
        notBeforeDays: -3000,
        notAfterDays: -30,
      });
      const results = await probe(await tlsServer(pki.leaf(), [pki.intermediate, crossSigned]));
      const validity = expect(results, 'tls.certificate.validity', 'pass');
      assert.ok(!JSON.stringify(validity.evidence.path).includes('Old Root'));
      expect(results, 'tls.certificate.trust', 'pass');
    },
  );

  test('tls.certificate.trust: a self-signed leaf fails with self_signed', NETWORK, async () => {
    const selfSigned = issue({ commonName: 'localhost', key: pki.leafKey, altNames: ['localhost', '127.0.0.1'] });
    const results = await probe(await tlsServer(selfSigned, []));
    expect(results, 'tls.certificate.trust', 'fail', 'self_signed');
    expect(results, 'tls.certificate.hostname', 'pass');
  });

  test('tls.certificate.trust: a missing intermediate fails with incomplete_chain', NETWORK, async () => {
    const results = await probe(await tlsServer(pki.leaf(), []));
    const trust = expect(results, 'tls.certificate.trust', 'fail', 'incomplete_chain');
    assert.match(String(trust.evidence.missingIssuer), /Test Intermediate/);
  });

  test('tls.certificate.trust: without --ca the private CA is an unknown_issuer', NETWORK, async () => {
    const results = await probe(await tlsServer(pki.leaf(), [pki.intermediate]), { ca: false });
    expect(results, 'tls.certificate.trust', 'fail', 'unknown_issuer');
  });

  test('tls.certificate.hostname: a certificate for another host fails with mismatch', NETWORK, async () => {
    const results = await probe(await tlsServer(pki.leaf({ commonName: '127.0.0.1', altNames: ['other.example'] }), [pki.intermediate]));
    const hostname = expect(results, 'tls.certificate.hostname', 'fail', 'mismatch');
    assert.match(String(hostname.evidence.subjectAltName), /other\.example/);
    expect(results, 'tls.certificate.trust', 'pass');
  });

  test('tls.key: a 1024-bit RSA leaf fails with weak_key', NETWORK, async () => {
    const weak = pki.leaf({ key: rsaKey(1024) });
    const results = await probe(await tlsServer(weak, [pki.intermediate], { ciphers: `${FORWARD_SECRET_CIPHERS}:@SECLEVEL=0` }));
    const key = expect(results, 'tls.key', 'fail', 'weak_key');
    assert.deepEqual(
      (key.evidence.keys as { bits: number }[]).map((k) => k.bits),
      [1024, 2048],
    );
  });

  test('tls.protocols: a server accepting TLS 1.0 and 1.1 fails naming them', NETWORK, async () => {
    const port = await tlsServer(pki.leaf(), [pki.intermediate], {
      minVersion: 'TLSv1',
      ciphers: `${FORWARD_SECRET_CIPHERS}:ECDHE-RSA-AES128-SHA:@SECLEVEL=0`,
    });
    const protocols = expect(await probe(port), 'tls.protocols', 'fail', 'legacy_protocol');
    assert.deepEqual(protocols.evidence.accepted, ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
  });

  test('tls.protocols: a server without TLS 1.3 warns with no_tls13', NETWORK, async () => {
    const port = await tlsServer(pki.leaf(), [pki.intermediate], { maxVersion: 'TLSv1.2' });
    expect(await probe(port), 'tls.protocols', 'warn', 'no_tls13');
  });

  test('tls.ciphers: a server accepting RSA key exchange fails naming the suites', NETWORK, async () => {
    const port = await tlsServer(pki.leaf(), [pki.intermediate], { ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:AES256-GCM-SHA384' });
    const ciphers = expect(await probe(port), 'tls.ciphers', 'fail', 'weak_cipher');
    const suites = (ciphers.evidence.accepted as { suite: string }[]).map((a) => a.suite).sort();
    assert.deepEqual(suites, ['AES128-SHA', 'AES256-GCM-SHA384']);
  });
});

describe('tls probe against hostile servers', () => {
  test('garbage instead of a ServerHello is an error with tls_handshake_failed', NETWORK, async () => {
    const server = createNetServer((socket) => {
      socket.on('error', () => undefined);
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\nthis is not TLS at all\r\n');
    });
    const results = await probe(await listen(server));
    for (const id of tlsProbe.checks) expect(results, id, 'error', 'tls_handshake_failed');
  });

  test('a server that accepts and closes at once is an error with connection_reset', NETWORK, async () => {
    const server = createNetServer((socket) => socket.destroy());
    const results = await probe(await listen(server));
    for (const id of tlsProbe.checks) expect(results, id, 'error', 'connection_reset');
  });

  test('a server that never answers the ClientHello is an error with timeout, within the timeout', NETWORK, async () => {
    const sockets = new Set<Socket>();
    const server = createNetServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    const port = await listen(server);
    const started = performance.now();
    const results = await probe(port, { timeoutMs: 800 });
    const elapsedMs = performance.now() - started;
    for (const socket of sockets) socket.destroy();
    for (const id of tlsProbe.checks) expect(results, id, 'error', 'timeout');
    assert.ok(elapsedMs < 800 + 2000, `bounded by its timeout, far under the default 10 s: took ${elapsedMs} ms`);
  });
});
