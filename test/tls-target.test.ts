/** The TLS and redirect probes against the reference target, one fault at a time, over real TLS. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { httpsRedirectProbe } from '../probes/redirect/probe.js';
import { tlsProbe } from '../probes/tls/probe.js';
import { probeOnce, resultOf } from '../probes/tls/test-support.js';
import type { CheckId } from '../src/core/catalogue.js';
import type { Probe } from '../src/core/probe.js';
import type { Faults } from '../target/faults.js';
import { startTarget, type RunningTarget } from '../target/server.js';

let target: RunningTarget;
let caDir: string;

before(async () => {
  caDir = mkdtempSync(join(tmpdir(), 'vor-tls-target-ca-'));
  target = await startTarget({ quiet: true, caDir });
});
after(async () => {
  await target.close();
  rmSync(caDir, { recursive: true, force: true });
});

async function run(probe: Probe, faults: Partial<Faults>, { ca = true } = {}) {
  target.setFaults(faults, 'replace');
  return probeOnce(probe, { baseUrl: target.baseUrl, httpUrl: target.httpUrl, ...(ca ? { caPem: target.caPem } : {}) });
}

const CASES: readonly { fault: keyof Faults; probe: Probe; id: CheckId; status: string; reason: string }[] = [
  { fault: 'cert_expired', probe: tlsProbe, id: 'tls.certificate.validity', status: 'fail', reason: 'expired' },
  { fault: 'cert_expiring', probe: tlsProbe, id: 'tls.certificate.validity', status: 'fail', reason: 'expires_soon' },
  { fault: 'cert_expiring_soon', probe: tlsProbe, id: 'tls.certificate.validity', status: 'warn', reason: 'expires_soon' },
  { fault: 'cert_not_yet_valid', probe: tlsProbe, id: 'tls.certificate.validity', status: 'fail', reason: 'not_yet_valid' },
  { fault: 'cert_self_signed', probe: tlsProbe, id: 'tls.certificate.trust', status: 'fail', reason: 'self_signed' },
  { fault: 'cert_incomplete_chain', probe: tlsProbe, id: 'tls.certificate.trust', status: 'fail', reason: 'incomplete_chain' },
  { fault: 'cert_wrong_host', probe: tlsProbe, id: 'tls.certificate.hostname', status: 'fail', reason: 'mismatch' },
  { fault: 'cert_weak_key', probe: tlsProbe, id: 'tls.key', status: 'fail', reason: 'weak_key' },
  { fault: 'tls_legacy', probe: tlsProbe, id: 'tls.protocols', status: 'fail', reason: 'legacy_protocol' },
  { fault: 'no_tls13', probe: tlsProbe, id: 'tls.protocols', status: 'warn', reason: 'no_tls13' },
  { fault: 'weak_ciphers', probe: tlsProbe, id: 'tls.ciphers', status: 'fail', reason: 'weak_cipher' },
  { fault: 'http_serves_content', probe: httpsRedirectProbe, id: 'http.https_redirect', status: 'fail', reason: 'serves_content' },
  { fault: 'redirect_chain', probe: httpsRedirectProbe, id: 'http.https_redirect', status: 'warn', reason: 'not_direct' },
];

describe('tls and redirect probes on the reference target', () => {
  test('the clean target passes every TLS check and the redirect check', { timeout: 20_000 }, async () => {
    for (const probe of [tlsProbe, httpsRedirectProbe]) {
      const results = await run(probe, {});
      for (const id of probe.checks) assert.equal(resultOf(results, id).status, 'pass', resultOf(results, id).message);
    }
  });

  test('without --ca the target CA is an unknown_issuer', { timeout: 20_000 }, async () => {
    const trust = resultOf(await run(tlsProbe, {}, { ca: false }), 'tls.certificate.trust');
    assert.equal(trust.status, 'fail', trust.message);
    assert.equal(trust.reason, 'unknown_issuer');
  });

  for (const { fault, probe, id, status, reason } of CASES) {
    test(`${fault}: ${id} is ${status}/${reason}`, { timeout: 20_000 }, async () => {
      const result = resultOf(await run(probe, { [fault]: true }), id);
      assert.equal(result.status, status, result.message);
      assert.equal(result.reason, reason);
    });
  }
});
