import type { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { ProbeOptions } from '../../src/config/schema.js';
import { fail, pass, warn, type Finding, type JsonValue } from '../../src/core/result.js';
import type { TrustPath } from './chain.js';

const DAY_MS = 86_400_000;

/** "CN=app\nO=VÖR" → "CN=app, O=VÖR" */
export const distinguishedName = (name: string): string => name.split('\n').join(', ');

const iso = (date: string): string => new Date(date).toISOString();

function describe(cert: X509Certificate): { [key: string]: JsonValue } {
  return {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    notBefore: iso(cert.validFrom),
    notAfter: iso(cert.validTo),
  };
}

/**
 * Chain-aware expiry: every certificate on the verified path counts (a leaf can outlive its
 * intermediate), and nothing off it does. Without a verified path, the served chain counts.
 */
export function evaluateValidity(
  host: string,
  chain: readonly X509Certificate[],
  trust: TrustPath,
  options: Pick<ProbeOptions, 'certFailDays' | 'certWarnDays'>,
  nowMs: number,
): Finding {
  const leaf = chain[0];
  const judged = trust.trusted ? trust.path : chain;
  if (leaf === undefined) return fail('tls.certificate.validity', 'no_certificate', `${host} served no certificate`, { host });
  const earliest = judged.reduce((a, b) => (Date.parse(b.validTo) < Date.parse(a.validTo) ? b : a), leaf);
  const notAfterMs = Date.parse(earliest.validTo);
  const daysLeft = Math.floor(((notAfterMs - nowMs) / DAY_MS) * 10) / 10;
  const evidence = {
    host,
    subject: distinguishedName(leaf.subject),
    issuer: distinguishedName(leaf.issuer),
    leafNotBefore: iso(leaf.validFrom),
    leafNotAfter: iso(leaf.validTo),
    /** The earliest end of validity on the path (the metric vor_tls_certificate_expiry_timestamp_seconds). */
    notAfter: new Date(notAfterMs).toISOString(),
    expiringSubject: distinguishedName(earliest.subject),
    daysLeft,
    pathVerified: trust.trusted,
    path: judged.map(describe),
  };
  const early = judged.find((c) => Date.parse(c.validFrom) > nowMs);
  if (early !== undefined) {
    return fail(
      'tls.certificate.validity',
      'not_yet_valid',
      `Certificate "${distinguishedName(early.subject)}" served by ${host} is not valid before ${iso(early.validFrom)}`,
      evidence,
    );
  }
  const who =
    earliest === leaf ? `The certificate of ${host}` : `Certificate "${distinguishedName(earliest.subject)}" on the chain of ${host}`;
  if (notAfterMs <= nowMs) return fail('tls.certificate.validity', 'expired', `${who} expired on ${evidence.notAfter}`, evidence);
  if (daysLeft < options.certFailDays) {
    return fail('tls.certificate.validity', 'expires_soon', `${who} expires in ${daysLeft} days (< ${options.certFailDays})`, evidence);
  }
  if (daysLeft < options.certWarnDays) {
    return warn('tls.certificate.validity', 'expires_soon', `${who} expires in ${daysLeft} days (< ${options.certWarnDays})`, evidence);
  }
  return pass('tls.certificate.validity', `The certificate of ${host} is valid for ${daysLeft} more days`, evidence);
}

export function evaluateTrust(host: string, trust: TrustPath, anchorsFromCaFile: boolean): Finding {
  const evidence = { host, path: trust.path.map((c) => distinguishedName(c.subject)), caFile: anchorsFromCaFile };
  if (trust.trusted) return pass('tls.certificate.trust', `The chain of ${host} verifies up to "${evidence.path.at(-1) ?? ''}"`, evidence);
  const end = trust.path[trust.path.length - 1];
  const messages = {
    self_signed: `${host} serves a self-signed certificate that is not a trusted root`,
    unknown_issuer: `The chain of ${host} ends at an untrusted CA ("${end === undefined ? '' : distinguishedName(end.issuer)}")${anchorsFromCaFile ? '' : '; pass --ca for a private CA'}`,
    incomplete_chain: `${host} does not serve the intermediate that issued "${end === undefined ? '' : distinguishedName(end.subject)}" (issuer "${end === undefined ? '' : distinguishedName(end.issuer)}")`,
  } as const;
  return fail('tls.certificate.trust', trust.reason, messages[trust.reason], {
    ...evidence,
    missingIssuer: end === undefined ? null : distinguishedName(end.issuer),
  });
}

export function evaluateHostname(host: string, leaf: X509Certificate | undefined): Finding {
  const subjectAltName = leaf?.subjectAltName ?? null;
  const evidence = { host, subject: leaf === undefined ? null : distinguishedName(leaf.subject), subjectAltName };
  // Like browsers, only subjectAltName counts; a CN fallback is how mis-issued certificates slip through.
  const matched = leaf === undefined ? undefined : isIP(host) === 0 ? leaf.checkHost(host, { subject: 'never' }) : leaf.checkIP(host);
  if (matched === undefined) {
    return fail(
      'tls.certificate.hostname',
      'mismatch',
      `The certificate of ${host} does not cover ${host} (subjectAltName: ${subjectAltName ?? 'none'})`,
      evidence,
    );
  }
  return pass('tls.certificate.hostname', `The certificate covers ${host}`, evidence);
}

interface KeyFacts {
  readonly subject: string;
  readonly type: string;
  readonly bits: number | null;
  readonly weak: boolean;
}

const CURVE_BITS: Readonly<Record<string, number>> = {
  prime192v1: 192,
  secp192r1: 192,
  secp224r1: 224,
  prime256v1: 256,
  secp256r1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};
const EDWARDS_BITS: Readonly<Record<string, number>> = { ed25519: 256, ed448: 456 };

export function keyFacts(cert: X509Certificate): KeyFacts {
  const key = cert.publicKey;
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  const subject = distinguishedName(cert.subject);
  if (type === 'rsa' || type === 'rsa-pss' || type === 'dsa') {
    const bits = details.modulusLength ?? null;
    return { subject, type, bits, weak: bits === null || bits < 2048 };
  }
  if (type === 'ec') {
    const bits = CURVE_BITS[details.namedCurve ?? ''] ?? null;
    return { subject, type: `ec ${details.namedCurve ?? '?'}`, bits, weak: bits === null || bits < 256 };
  }
  const bits = EDWARDS_BITS[type] ?? null;
  return { subject, type, bits, weak: bits === null };
}

/** Every served certificate's key: a 1024-bit intermediate weakens the chain as much as a leaf. */
export function evaluateKeys(host: string, chain: readonly X509Certificate[]): Finding {
  const keys = chain.map(keyFacts);
  const evidence = { host, keys: keys.map((k) => ({ ...k })) };
  const weak = keys.filter((k) => k.weak);
  if (weak.length > 0) {
    const list = weak.map((k) => `"${k.subject}" ${k.type} ${k.bits ?? '?'} bits`).join('; ');
    return fail('tls.key', 'weak_key', `${host} serves a weak key (RSA < 2048 or EC < 256 bits): ${list}`, evidence);
  }
  const leaf = keys[0];
  return pass('tls.key', `${host} uses ${leaf === undefined ? 'no' : `a ${leaf.type} ${leaf.bits ?? '?'}-bit`} key`, evidence);
}

export const LEGACY_PROTOCOLS = ['TLSv1', 'TLSv1.1'] as const;

export interface ProtocolSupport {
  /** What the unrestricted handshake negotiated (the highest both sides speak). */
  readonly negotiated: string;
  /** Each restricted attempt: protocol → accepted. */
  readonly attempts: Readonly<Record<string, boolean>>;
}

export function evaluateProtocols(host: string, support: ProtocolSupport): Finding {
  const accepted = Object.entries(support.attempts)
    .filter(([, ok]) => ok)
    .map(([protocol]) => protocol);
  if (support.negotiated === 'TLSv1.3' && !accepted.includes('TLSv1.3')) accepted.push('TLSv1.3');
  const evidence = { host, negotiated: support.negotiated, accepted, attempts: { ...support.attempts } };
  const legacy = LEGACY_PROTOCOLS.filter((p) => accepted.includes(p));
  if (legacy.length > 0) return fail('tls.protocols', 'legacy_protocol', `${host} accepts ${legacy.join(' and ')}`, evidence);
  if (!accepted.includes('TLSv1.3'))
    return warn('tls.protocols', 'no_tls13', `${host} does not offer TLS 1.3 (negotiated ${support.negotiated})`, evidence);
  return pass('tls.protocols', `${host} accepts ${accepted.join(', ')}`, evidence);
}

/** Suites a server should refuse: RSA key exchange (no forward secrecy) and < 128-bit ciphers. */
export const WEAK_SUITES: Readonly<Record<string, 'no_forward_secrecy' | 'under_128_bits'>> = {
  'AES128-SHA': 'no_forward_secrecy',
  'AES256-SHA': 'no_forward_secrecy',
  'AES128-SHA256': 'no_forward_secrecy',
  'AES128-GCM-SHA256': 'no_forward_secrecy',
  'AES256-GCM-SHA384': 'no_forward_secrecy',
  'DES-CBC3-SHA': 'under_128_bits',
  'ECDHE-RSA-DES-CBC3-SHA': 'under_128_bits',
  'RC4-SHA': 'under_128_bits',
  'ECDHE-RSA-RC4-SHA': 'under_128_bits',
};

export interface CipherSupport {
  readonly negotiated: string;
  /** Weak suite → accepted; suites this OpenSSL cannot offer are absent. */
  readonly attempts: Readonly<Record<string, boolean>>;
}

export function evaluateCiphers(host: string, support: CipherSupport): Finding {
  const accepted = Object.entries(support.attempts)
    .filter(([, ok]) => ok)
    .map(([suite]) => suite);
  if (WEAK_SUITES[support.negotiated] !== undefined && !accepted.includes(support.negotiated)) accepted.push(support.negotiated);
  const evidence = {
    host,
    negotiated: support.negotiated,
    tried: Object.keys(support.attempts),
    accepted: accepted.map((suite) => ({ suite, weakness: WEAK_SUITES[suite] ?? 'weak' })),
  };
  if (accepted.length > 0) {
    return fail(
      'tls.ciphers',
      'weak_cipher',
      `${host} accepts weak suites: ${accepted.map((s) => `${s} (${WEAK_SUITES[s] ?? 'weak'})`).join(', ')}`,
      evidence,
    );
  }
  return pass('tls.ciphers', `${host} refused all ${evidence.tried.length} weak suites tried (negotiated ${support.negotiated})`, evidence);
}
