/**
 * Certificate building shared by the reference target's local CA (target/ca.ts) and the TLS tests'
 * in-memory PKI (probes/tls/test-pki.ts). Keys come from node's crypto (fast, native); the X.509
 * structure is built with node-forge and signed with node's crypto (same result as forge's pure-JS RSA,
 * about ten times faster).
 */
import { createPublicKey, generateKeyPairSync, randomBytes, sign as cryptoSign } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export interface RsaKeyPair {
  /** PEM, PKCS#1. */
  readonly privatePem: string;
  /** PEM, SPKI. */
  readonly publicPem: string;
}

export function generateRsaKey(bits = 2048): RsaKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return { privatePem: privateKey, publicPem: publicKey };
}

export function publicPemOf(privatePem: string): string {
  return createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
}

export type DistinguishedName = readonly forge.pki.CertificateField[];

export interface CertificateSpec {
  /** The subject's public key. */
  readonly publicPem: string;
  readonly subject: DistinguishedName;
  /** Who signs: the issuer's name and private key (the subject's own for a self-signed certificate). */
  readonly signer: { readonly name: DistinguishedName; readonly privatePem: string };
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** A certificate authority (optionally with a path length), or a TLS server leaf for these SAN hosts. */
  readonly role: { readonly ca: true; readonly pathLength?: number } | { readonly ca: false; readonly hosts?: readonly string[] };
  /** Hex; default 16 random bytes. */
  readonly serial?: string;
  /**
   * Whether to name the signer's key (authorityKeyIdentifier) when it is not the subject's own.
   * Default true; without it, chain building must match issuers by name and signature alone.
   */
  readonly authorityKeyIdentifier?: boolean;
}

/** Builds and signs one certificate; returns its PEM. */
export function createCertificate(spec: CertificateSpec): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(spec.publicPem);
  cert.serialNumber = spec.serial ?? randomSerial();
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  cert.setSubject([...spec.subject]);
  cert.setIssuer([...spec.signer.name]);
  cert.setExtensions(extensionsOf(spec) as never[]);
  const oid = forge.pki.oids.sha256WithRSAEncryption ?? '1.2.840.113549.1.1.11';
  cert.siginfo.algorithmOid = oid;
  cert.signatureOid = oid;
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  cert.tbsCertificate = tbs;
  const der = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary');
  cert.signature = cryptoSign('sha256', der, spec.signer.privatePem).toString('binary');
  return forge.pki.certificateToPem(cert);
}

function extensionsOf(spec: CertificateSpec): unknown[] {
  const signerPublicPem = publicPemOf(spec.signer.privatePem);
  const signedByOther = signerPublicPem.trim() !== spec.publicPem.trim();
  const authority =
    signedByOther && (spec.authorityKeyIdentifier ?? true)
      ? [{ name: 'authorityKeyIdentifier', keyIdentifier: subjectKeyIdentifier(signerPublicPem) }]
      : [];
  const role = spec.role;
  if (role.ca) {
    return [
      {
        name: 'basicConstraints',
        cA: true,
        ...(role.pathLength === undefined ? {} : { pathLenConstraint: role.pathLength }),
        critical: true,
      },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
      ...authority,
    ];
  }
  return [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    ...(role.hosts === undefined ? [] : [{ name: 'subjectAltName', altNames: subjectAltNames(role.hosts) }]),
    { name: 'subjectKeyIdentifier' },
    ...authority,
  ];
}

function subjectAltNames(hosts: readonly string[]): unknown[] {
  return hosts.map((h) => (isIP(h) !== 0 ? { type: 7, ip: h } : { type: 2, value: h }));
}

function subjectKeyIdentifier(publicPem: string): string {
  return forge.pki.getPublicKeyFingerprint(forge.pki.publicKeyFromPem(publicPem), { type: 'RSAPublicKey' }).getBytes();
}

/** Positive, 16 bytes. */
function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  if (b[0] === 0) b[0] = 1;
  return b.toString('hex');
}
