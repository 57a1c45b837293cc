import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { handshake, request } from '../test/helpers/target.js';
import type { BooleanFault } from './faults.js';
import { startTarget, type RunningTarget } from './server.js';

let t: RunningTarget;
before(async () => {
  t = await startTarget({ quiet: true, bcryptCost: 4 });
});
after(async () => {
  await t.close();
});
beforeEach(() => t.setFaults({}));

const DAY = 86_400_000;
const leaf = async (): Promise<X509Certificate> => {
  const h = await handshake(t.baseUrl, { rejectUnauthorized: false });
  assert.ok(h.ok && h.cert);
  return new X509Certificate(h.cert.raw);
};

describe('TLS: clean', () => {
  it('verifies against the local CA, TLS 1.3, leaf + intermediate sent, RSA 2048, valid > 21 days', async () => {
    const h = await handshake(t.baseUrl, { ca: t.caPem });
    assert.equal(h.ok, true, h.errorCode);
    assert.equal(h.authorized, true);
    assert.equal(h.protocol, 'TLSv1.3');
    const cert = await leaf();
    assert.ok(new Date(cert.validTo).getTime() - Date.now() > 21 * DAY);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.ok(cert.checkIP('127.0.0.1'));
    // the intermediate is in the chain: trusting only the root still verifies (checked above), and a raw
    // handshake without CA sees an issuer chain beyond the leaf
    const raw = await handshake(t.baseUrl, { rejectUnauthorized: false });
    assert.ok((raw.peerChainLength ?? 0) >= 2, `chain length ${raw.peerChainLength}`);
  });

  it('refuses TLS 1.0/1.1 and non-forward-secret suites', async () => {
    const legacy = await handshake(t.baseUrl, { ca: t.caPem, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    assert.equal(legacy.ok, false);
    const rsaKex = await handshake(t.baseUrl, { ca: t.caPem, maxVersion: 'TLSv1.2', ciphers: 'AES256-GCM-SHA384:AES128-SHA' });
    assert.equal(rsaKex.ok, false);
    const tls12 = await handshake(t.baseUrl, { ca: t.caPem, maxVersion: 'TLSv1.2' });
    assert.equal(tls12.ok, true);
    assert.match(tls12.cipher ?? '', /^ECDHE-/);
  });
});

describe('TLS fault switches (applied at run time via setSecureContext)', () => {
  const profile = async (fault: BooleanFault): Promise<{ verify: Awaited<ReturnType<typeof handshake>>; cert: X509Certificate }> => {
    t.setFaults({ [fault]: true });
    return { verify: await handshake(t.baseUrl, { ca: t.caPem }), cert: await leaf() };
  };

  it('cert_expired', async () => {
    const { verify, cert } = await profile('cert_expired');
    assert.equal(verify.errorCode, 'CERT_HAS_EXPIRED');
    assert.ok(new Date(cert.validTo).getTime() < Date.now());
  });
  it('cert_expiring (5 days)', async () => {
    const { verify, cert } = await profile('cert_expiring');
    assert.equal(verify.authorized, true);
    const days = (new Date(cert.validTo).getTime() - Date.now()) / DAY;
    assert.ok(days > 4 && days <= 5.01, String(days));
  });
  it('cert_expiring_soon (15 days)', async () => {
    const { verify, cert } = await profile('cert_expiring_soon');
    assert.equal(verify.authorized, true);
    const days = (new Date(cert.validTo).getTime() - Date.now()) / DAY;
    assert.ok(days > 14 && days <= 15.01, String(days));
  });
  it('cert_not_yet_valid', async () => {
    const { verify, cert } = await profile('cert_not_yet_valid');
    assert.equal(verify.errorCode, 'CERT_NOT_YET_VALID');
    assert.ok(new Date(cert.validFrom).getTime() > Date.now());
  });
  it('cert_self_signed', async () => {
    const { verify, cert } = await profile('cert_self_signed');
    assert.equal(verify.errorCode, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.equal(cert.issuer, cert.subject);
  });
  it('cert_wrong_host', async () => {
    const { verify, cert } = await profile('cert_wrong_host');
    assert.equal(verify.ok, false);
    assert.equal(verify.errorCode, 'ERR_TLS_CERT_ALTNAME_INVALID');
    assert.equal(cert.subjectAltName, 'DNS:wrong.vor.invalid');
  });
  it('cert_weak_key (RSA 1024, otherwise trusted)', async () => {
    const { verify, cert } = await profile('cert_weak_key');
    assert.equal(verify.authorized, true);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 1024);
  });
  it('cert_incomplete_chain (intermediate not sent)', async () => {
    const { verify } = await profile('cert_incomplete_chain');
    assert.equal(verify.errorCode, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const raw = await handshake(t.baseUrl, { rejectUnauthorized: false });
    assert.equal(raw.peerChainLength, 1);
  });
  it('tls_legacy accepts TLS 1.0', async () => {
    t.setFaults({ tls_legacy: true });
    const h = await handshake(t.baseUrl, { ca: t.caPem, minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    assert.equal(h.ok, true, h.errorCode);
    assert.equal(h.protocol, 'TLSv1');
  });
  it('weak_ciphers accepts RSA key exchange', async () => {
    t.setFaults({ weak_ciphers: true });
    const h = await handshake(t.baseUrl, { ca: t.caPem, maxVersion: 'TLSv1.2', ciphers: 'AES256-GCM-SHA384' });
    assert.equal(h.ok, true, h.errorCode);
    assert.equal(h.cipher, 'AES256-GCM-SHA384');
    assert.equal((await handshake(t.baseUrl, { ca: t.caPem })).protocol, 'TLSv1.3');
  });
  it('no_tls13 caps at TLS 1.2', async () => {
    t.setFaults({ no_tls13: true });
    const h = await handshake(t.baseUrl, { ca: t.caPem });
    assert.equal(h.protocol, 'TLSv1.2');
    assert.equal((await handshake(t.baseUrl, { ca: t.caPem, minVersion: 'TLSv1.3' })).ok, false);
  });
  it('back to clean after the faults are cleared', async () => {
    t.setFaults({ cert_expired: true });
    t.setFaults({});
    const h = await handshake(t.baseUrl, { ca: t.caPem });
    assert.equal(h.authorized, true);
  });
});

describe('plain HTTP entry point', () => {
  it('clean: one 301 straight to the same path on HTTPS', async () => {
    const r = await request(`${t.httpUrl}/pricing?x=1`);
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, `${t.baseUrl}/pricing?x=1`);
  });
  it('http_serves_content: 200 page over plain HTTP', async () => {
    t.setFaults({ http_serves_content: true });
    const r = await request(`${t.httpUrl}/`);
    assert.equal(r.status, 200);
    assert.match(r.body, /<html/);
  });
  it('redirect_chain: http → http hop → https', async () => {
    t.setFaults({ redirect_chain: true });
    const first = await request(`${t.httpUrl}/`);
    assert.equal(first.status, 301);
    const hop = String(first.headers.location);
    assert.ok(hop.startsWith(`${t.httpUrl}/`), hop);
    const second = await request(hop);
    assert.equal(second.status, 301);
    assert.equal(second.headers.location, `${t.baseUrl}/`);
  });
  it('the plain port also speaks TLS (for auto-upgraded mixed content)', async () => {
    const r = await request(`${t.httpUrl.replace('http:', 'https:')}/assets/pixel.svg`, { ca: t.caPem });
    assert.equal(r.status, 200);
  });
});

describe('admin API', () => {
  const admin = (method: string, body?: object, token = t.adminToken) =>
    request(`${t.baseUrl}/__admin/faults`, {
      ca: t.caPem,
      method,
      headers: { Authorization: `Bearer ${token}` },
      ...(body ? { body } : {}),
    });

  it('refuses a wrong token', async () => {
    assert.equal((await admin('GET', undefined, 'nope')).status, 401);
  });
  it('GET, PUT (replace), PATCH (merge); rejects unknown faults', async () => {
    assert.equal((JSON.parse((await admin('GET')).body) as Record<string, unknown>).no_hsts, false);
    await admin('PUT', { no_hsts: true, latencyMs: 0 });
    assert.equal(t.faults().no_hsts, true);
    assert.equal((await request(`${t.baseUrl}/`, { ca: t.caPem })).headers['strict-transport-security'], undefined);
    await admin('PATCH', { no_coop: true });
    assert.equal(t.faults().no_hsts, true);
    assert.equal(t.faults().no_coop, true);
    await admin('PUT', { no_coop: true });
    assert.equal(t.faults().no_hsts, false);
    assert.equal((await admin('PATCH', { not_a_fault: true })).status, 400);
    assert.equal((await admin('PATCH', { errorRate: 2 })).status, 400);
  });
  it('a TLS fault via the admin API applies to new connections', async () => {
    const r = await admin('PATCH', { cert_expired: true });
    assert.equal(r.status, 200);
    assert.equal((await handshake(t.baseUrl, { ca: t.caPem })).errorCode, 'CERT_HAS_EXPIRED');
  });
});

describe('numeric faults', () => {
  const timed = async (path: string): Promise<{ ms: number; status: number }> => {
    const s = performance.now();
    const r = await request(`${t.baseUrl}${path}`, { ca: t.caPem });
    return { ms: performance.now() - s, status: r.status };
  };
  /** The fastest of three calls (each a fresh TLS handshake): one stall of this shared machine is not a fault. */
  const fastest = async (path: string): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < 3; i += 1) times.push((await timed(path)).ms);
    return Math.min(...times);
  };
  it('latencyMs delays every response', async () => {
    t.setFaults({ latencyMs: 300 });
    assert.ok((await timed('/api')).ms >= 290);
    t.setFaults({});
    assert.ok((await fastest('/api')) < 250);
  });
  it('latencyJitterMs adds 0..N', async () => {
    t.setFaults({ latencyJitterMs: 200 });
    const all = await Promise.all(Array.from({ length: 8 }, () => timed('/api')));
    assert.ok(all.every((x) => x.ms < 1500));
    assert.ok(
      all.some((x) => x.ms > 20),
      'some jitter observed',
    );
  });
  it('stallEvery/stallMs stalls every Nth request', async () => {
    t.setFaults({ stallEvery: 3, stallMs: 400 });
    const times: number[] = [];
    for (let i = 0; i < 6; i++) times.push((await timed('/api')).ms);
    assert.equal(times.filter((ms) => ms >= 390).length, 2, times.join(','));
  });
  it('errorRate answers that fraction 500 (not /__admin)', async () => {
    t.setFaults({ errorRate: 1 });
    assert.equal((await timed('/')).status, 500);
    assert.equal((await timed('/api')).status, 500);
    const a = await request(`${t.baseUrl}/__admin/faults`, { ca: t.caPem, headers: { Authorization: `Bearer ${t.adminToken}` } });
    assert.equal(a.status, 200);
    t.setFaults({ errorRate: 0.5 });
    const statuses = await Promise.all(Array.from({ length: 60 }, () => timed('/api')));
    const errors = statuses.filter((s) => s.status === 500).length;
    assert.ok(errors > 10 && errors < 50, String(errors));
  });
  it('healthDelayMs delays /health only', async () => {
    t.setFaults({ healthDelayMs: 300 });
    assert.ok((await timed('/health')).ms >= 290);
    assert.ok((await fastest('/api')) < 250);
  });
  it('requestCount counts served requests (not /__admin)', async () => {
    const before = t.requestCount();
    await timed('/api');
    await timed('/');
    assert.equal(t.requestCount(), before + 2);
  });
});
