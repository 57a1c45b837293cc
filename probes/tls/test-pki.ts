/**
 * Test-only PKI: builds the certificate cases the TLS tests need (expired, expiring, wrong host,
 * weak key, self-signed, cross-signed) in memory, so no case is waited for.
 */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

const DAY_MS = 86_400_000;

export interface KeyPair {
  readonly privatePem: string;
  readonly forgePrivate: forge.pki.rsa.PrivateKey;
  readonly forgePublic: forge.pki.rsa.PublicKey;
}

export function rsaKey(bits = 2048): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    privatePem: privateKey,
    forgePrivate: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    forgePublic: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
  };
}

export interface Issued {
  readonly pem: string;
  readonly cert: forge.pki.Certificate;
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

let serialCounter = 1;

export function issue(spec: CertSpec, nowMs = Date.now()): Issued {
  const cert = forge.pki.createCertificate();
  cert.publicKey = spec.key.forgePublic;
  cert.serialNumber = spec.serial ?? (0x1000 + serialCounter++).toString(16);
  cert.validity.notBefore = new Date(nowMs + (spec.notBeforeDays ?? -1) * DAY_MS);
  cert.validity.notAfter = new Date(nowMs + (spec.notAfterDays ?? 365) * DAY_MS);
  const subject = [
    { name: 'commonName', value: spec.commonName },
    { name: 'organizationName', value: 'vor-watch tests' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(spec.issuer === undefined ? subject : spec.issuer.cert.subject.attributes);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: spec.ca ?? false, critical: true },
    {
      name: 'keyUsage',
      keyCertSign: spec.ca ?? false,
      cRLSign: spec.ca ?? false,
      digitalSignature: true,
      keyEncipherment: !(spec.ca ?? false),
      critical: true,
    },
    { name: 'subjectKeyIdentifier' },
  ];
  if (spec.altNames !== undefined) {
    extensions.push({
      name: 'subjectAltName',
      altNames: spec.altNames.map((n) => (/^[\d.]+$|:/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })),
    });
  }
  if (!(spec.ca ?? false)) extensions.push({ name: 'extKeyUsage', serverAuth: true });
  cert.setExtensions(extensions);
  cert.sign((spec.issuer?.key ?? spec.key).forgePrivate, forge.md.sha256.create());
  return { pem: forge.pki.certificateToPem(cert), cert, key: spec.key };
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
