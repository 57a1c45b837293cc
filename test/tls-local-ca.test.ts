/** The TLS probe against every leaf profile the reference target's local CA issues, over real TLS. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createServer, type Server } from 'node:tls';
import { tlsProbe } from '../probes/tls/probe.js';
import { probeOnce, resultOf } from '../probes/tls/test-support.js';
import type { CheckId } from '../src/core/catalogue.js';
import { loadLocalCa, type CertProfile, type LocalCa } from '../target/ca.js';

const HARDENED_CIPHERS = 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305';

let ca: LocalCa;
let dir: string;
const servers: Server[] = [];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'vor-tls-ca-'));
  ca = loadLocalCa({ dir });
});
after(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

async function serve(profile: CertProfile): Promise<string> {
  const leaf = ca.issue({ profile });
  // SECLEVEL=0 lets the 1024-bit leaf be served at all; the suites stay forward-secret.
  const server = createServer({ key: leaf.keyPem, cert: leaf.chainPem, ciphers: `${HARDENED_CIPHERS}:@SECLEVEL=0` }, (s) => s.end());
  server.on('tlsClientError', () => undefined);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return `https://127.0.0.1:${address.port}`;
}

const CASES: readonly { profile: CertProfile; id: CheckId; status: string; reason?: string }[] = [
  { profile: 'expired', id: 'tls.certificate.validity', status: 'fail', reason: 'expired' },
  { profile: 'expiring', id: 'tls.certificate.validity', status: 'fail', reason: 'expires_soon' },
  { profile: 'expiring_soon', id: 'tls.certificate.validity', status: 'warn', reason: 'expires_soon' },
  { profile: 'not_yet_valid', id: 'tls.certificate.validity', status: 'fail', reason: 'not_yet_valid' },
  { profile: 'self_signed', id: 'tls.certificate.trust', status: 'fail', reason: 'self_signed' },
  { profile: 'incomplete_chain', id: 'tls.certificate.trust', status: 'fail', reason: 'incomplete_chain' },
  { profile: 'wrong_host', id: 'tls.certificate.hostname', status: 'fail', reason: 'mismatch' },
  { profile: 'weak_key', id: 'tls.key', status: 'fail', reason: 'weak_key' },
];

describe('tls probe on the local CA profiles', () => {
  test('the valid profile passes every check with --ca', { timeout: 15_000 }, async () => {
    const results = await probeOnce(tlsProbe, { baseUrl: await serve('valid'), caPem: ca.caPem });
    for (const id of tlsProbe.checks) assert.equal(resultOf(results, id).status, 'pass', resultOf(results, id).message);
  });

  test('the valid profile without --ca fails trust with unknown_issuer', { timeout: 15_000 }, async () => {
    const results = await probeOnce(tlsProbe, { baseUrl: await serve('valid') });
    assert.equal(resultOf(results, 'tls.certificate.trust').status, 'fail');
    assert.equal(resultOf(results, 'tls.certificate.trust').reason, 'unknown_issuer');
  });

  for (const { profile, id, status, reason } of CASES) {
    test(`${profile}: ${id} is ${status}/${reason ?? ''}`, { timeout: 15_000 }, async () => {
      const results = await probeOnce(tlsProbe, { baseUrl: await serve(profile), caPem: ca.caPem });
      const result = resultOf(results, id);
      assert.equal(result.status, status, result.message);
      assert.equal(result.reason, reason);
    });
  }
});
