import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { buildTrustPath } from './chain.js';
import { evaluateCiphers, evaluateKeys, evaluateProtocols, evaluateValidity, keyFacts } from './evaluate.js';
import { createPki, issue, rsaKey, type Pki } from './test-pki.js';

let pki: Pki;
before(() => {
  pki = createPki();
});

const x509 = (pem: string): X509Certificate => new X509Certificate(pem);

/** An EC self-signed certificate from the openssl CLI (node-forge cannot sign with EC keys). */
function ecCertificate(curve: string): X509Certificate {
  const pem = execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      `ec_paramgen_curve:${curve}`,
      '-nodes',
      '-keyout',
      '/dev/null',
      '-subj',
      '/CN=ec',
      '-days',
      '1',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return x509(pem);
}

describe('buildTrustPath', () => {
  test('finds the path whatever order the server sends the chain in', () => {
    const leaf = x509(pki.leaf().pem);
    const path = buildTrustPath([leaf, x509(pki.root.pem), x509(pki.intermediate.pem)], [x509(pki.root.pem)]);
    assert.equal(path.trusted, true);
    assert.deepEqual(
      path.path.map((c) => c.subject.split('\n')[0]),
      ['CN=localhost', 'CN=vor-watch Test Intermediate', 'CN=vor-watch Test Root'],
    );
  });

  test('a served root that is not trusted is an unknown_issuer, not self_signed', () => {
    const path = buildTrustPath([x509(pki.leaf().pem), x509(pki.intermediate.pem), x509(pki.root.pem)], []);
    assert.equal(path.trusted, false);
    assert.equal(path.trusted ? undefined : path.reason, 'unknown_issuer');
  });

  test('a name match whose signature does not verify is not an issuer', () => {
    const impostor = issue({ commonName: 'vor-watch Test Intermediate', key: rsaKey(), issuer: pki.root, ca: true });
    const path = buildTrustPath([x509(pki.leaf().pem), x509(impostor.pem)], [x509(pki.root.pem)]);
    assert.equal(path.trusted, false);
    assert.equal(path.trusted ? undefined : path.reason, 'incomplete_chain');
  });
});

describe('evaluateValidity thresholds', () => {
  test('the fail and warn days come from the options', () => {
    const chain = [x509(pki.leaf({ notAfterDays: 25 }).pem), x509(pki.intermediate.pem)];
    const trust = buildTrustPath(chain, [x509(pki.root.pem)]);
    const now = Date.now();
    assert.equal(evaluateValidity('h', chain, trust, { certFailDays: 7, certWarnDays: 21 }, now).status, 'pass');
    assert.equal(evaluateValidity('h', chain, trust, { certFailDays: 7, certWarnDays: 30 }, now).status, 'warn');
    assert.equal(evaluateValidity('h', chain, trust, { certFailDays: 30, certWarnDays: 60 }, now).status, 'fail');
  });

  test('the notAfter evidence the expiry metric reads is the earliest on the path, as ISO', () => {
    const chain = [x509(pki.leaf({ notAfterDays: 40 }).pem), x509(pki.intermediate.pem)];
    const finding = evaluateValidity(
      'h',
      chain,
      buildTrustPath(chain, [x509(pki.root.pem)]),
      { certFailDays: 7, certWarnDays: 21 },
      Date.now(),
    );
    assert.equal(finding.evidence.notAfter, new Date(chain[0]?.validTo ?? '').toISOString());
  });
});

describe('key strength', () => {
  test('EC P-256 passes, P-224 and RSA 1024 fail', () => {
    assert.deepEqual(keyFacts(ecCertificate('prime256v1')), { subject: 'CN=ec', type: 'ec prime256v1', bits: 256, weak: false });
    assert.equal(keyFacts(ecCertificate('secp224r1')).weak, true);
    const weak = evaluateKeys('h', [x509(pki.leaf({ key: rsaKey(1024) }).pem)]);
    assert.equal(weak.status, 'fail');
    assert.match(weak.message, /1024 bits/);
  });
});

describe('protocols and ciphers', () => {
  test('TLS 1.1 alone is enough to fail, and is named', () => {
    const finding = evaluateProtocols('h', { negotiated: 'TLSv1.3', attempts: { TLSv1: false, 'TLSv1.1': true, 'TLSv1.2': true } });
    assert.equal(finding.status, 'fail');
    assert.match(finding.message, /accepts TLSv1\.1$/);
  });

  test('a weak suite the main handshake negotiated counts even if no attempt tried it', () => {
    const finding = evaluateCiphers('h', { negotiated: 'AES128-SHA', attempts: {} });
    assert.equal(finding.status, 'fail');
    assert.equal(finding.reason, 'weak_cipher');
  });
});
