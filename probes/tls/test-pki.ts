/**
 * Test-only PKI: builds the certificate cases the TLS tests need (expired, expiring, wrong host,
 * weak key, self-signed, cross-signed) in memory, so no case is waited for. Certificates come from
 * the same builder as the reference target's local CA (target/pki.ts).
 */
import { createCertificate, generateRsaKey, type DistinguishedName, type RsaKeyPair } from '../../target/pki.js';

const DAY_MS = 86_400_000;

export type KeyPair = RsaKeyPair;

export function rsaKey(bits = 2048): KeyPair {
  return generateRsaKey(bits);
}

export interface Issued {
  readonly pem: string;
  readonly subject: DistinguishedName;
  readonly key: KeyPair;
}

export interface CertSpec {
  readonly commonName: string;
  readonly key: KeyPair;
  /** Absent: self-signed. */
  readonly issuer?: Issued;
  readonly ca?: boolean;
  /** DNS names and IP addresses for subjectAltName (leaves only). */
  readonly altNames?: readonly string[];
  readonly notBeforeDays?: number;
  readonly notAfterDays?: number;
  readonly serial?: string;
}

export function issue(spec: CertSpec, nowMs = Date.now()): Issued {
  const subject: DistinguishedName = [
    { name: 'commonName', value: spec.commonName },
    { name: 'organizationName', value: 'vor-watch tests' },
  ];
  const pem = createCertificate({
    publicPem: spec.key.publicPem,
    subject,
    signer:
      spec.issuer === undefined
        ? { name: subject, privatePem: spec.key.privatePem }
        : { name: spec.issuer.subject, privatePem: spec.issuer.key.privatePem },
    notBefore: new Date(nowMs + (spec.notBeforeDays ?? -1) * DAY_MS),
    notAfter: new Date(nowMs + (spec.notAfterDays ?? 365) * DAY_MS),
    role: spec.ca === true ? { ca: true } : { ca: false, ...(spec.altNames === undefined ? {} : { hosts: spec.altNames }) },
    ...(spec.serial === undefined ? {} : { serial: spec.serial }),
    // Issuers are then found by name and signature alone, so the impostor and cross-signing cases
    // exercise the probe's signature checks rather than a key-identifier shortcut.
    authorityKeyIdentifier: false,
  });
  return { pem, subject, key: spec.key };
}

/** A root → intermediate → leaf hierarchy with shared keys, reusable across cases. */
export interface Pki {
  readonly rootKey: KeyPair;
  readonly intermediateKey: KeyPair;
  readonly leafKey: KeyPair;
  readonly root: Issued;
  readonly intermediate: Issued;
  leaf(overrides?: Partial<CertSpec>): Issued;
}

export function createPki(): Pki {
  const rootKey = rsaKey();
  const intermediateKey = rsaKey();
  const leafKey = rsaKey();
  const root = issue({ commonName: 'vor-watch Test Root', key: rootKey, ca: true, notAfterDays: 3650 });
  const intermediate = issue({
    commonName: 'vor-watch Test Intermediate',
    key: intermediateKey,
    issuer: root,
    ca: true,
    notAfterDays: 1825,
  });
  return {
    rootKey,
    intermediateKey,
    leafKey,
    root,
    intermediate,
    leaf: (overrides = {}) =>
      issue({ commonName: 'localhost', key: leafKey, issuer: intermediate, altNames: ['localhost', '127.0.0.1'], ...overrides }),
  };
}
